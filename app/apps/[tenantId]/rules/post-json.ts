/** What a dashboard POST answered: the JSON body, or the message and status of a refusal. */
export type PostResult<T> = { ok: true; body: T } | { ok: false; status: number; message: string };

const answerSchemaMessage = (body: unknown): string | null =>
  typeof body === "object" && body !== null && "message" in body && typeof body.message === "string" ? body.message : null;

/** POSTs JSON to one of the app's route handlers; network failures come back as a message to show. */
export async function postJson<T>(url: string, body: unknown): Promise<PostResult<T>> {
  try {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const json: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, body: json as T };
    const message =
      answerSchemaMessage(json) ??
      (response.status === 401 ? "Your session ended: reload the page to sign in again." : `Ebbflow answered ${response.status}; try again.`);
    return { ok: false, status: response.status, message };
  } catch {
    return { ok: false, status: 0, message: "Ebbflow could not be reached: check your connection and try again." };
  }
}
