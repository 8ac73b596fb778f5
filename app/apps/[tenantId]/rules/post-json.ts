import { z } from "zod";

/** One field the server refused: its path in the request (`rule.maxQuantity`) and why. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** What a dashboard POST answered: the JSON body, or the refusal's message, status and field issues. */
export type PostResult<T> = { ok: true; body: T } | { ok: false; status: number; message: string; issues: FieldIssue[] };

/** Ebbflow's refusals: `{ error: { code, message, issues? } }` (lib/http/handle.ts). */
const refusalSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** POSTs JSON to one of the app's route handlers; network failures come back as a message to show. */
export async function postJson<T>(url: string, body: unknown): Promise<PostResult<T>> {
  try {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const json: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, body: json as T };
    const refusal = refusalSchema.safeParse(json);
    const message = refusal.success
      ? refusal.data.error.message
      : response.status === 401
        ? "Your session ended: reload the page to sign in again."
        : `Ebbflow answered ${response.status}; try again.`;
    return { ok: false, status: response.status, message, issues: refusal.success ? (refusal.data.error.issues ?? []) : [] };
  } catch {
    return { ok: false, status: 0, message: "Ebbflow could not be reached: check your connection and try again.", issues: [] };
  }
}
