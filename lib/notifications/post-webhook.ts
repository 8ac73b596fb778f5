import { resolvePublic } from "@/lib/queues/pull/safe-get";

export interface WebhookOptions {
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Development and tests only: allow loopback and private addresses. */
  allowPrivateAddresses: boolean;
}

/**
 * POSTs a JSON body to a customer's webhook. The host must resolve to public addresses (a
 * customer's URL must not reach Ebbflow's own network), redirects are not followed, and a slow
 * endpoint is given up on after a few seconds. Returns null on a 2xx, else what went wrong.
 */
export async function postWebhook(url: string, body: unknown, options: WebhookOptions): Promise<string | null> {
  const target = new URL(url);
  try {
    await resolvePublic(target.hostname, options.allowPrivateAddresses);
  } catch (error) {
    return error instanceof Error ? error.message : "the webhook's host cannot be reached";
  }
  const send = options.fetch ?? fetch;
  try {
    const response = await send(target, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Ebbflow" },
      body: JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? null : `the webhook answered ${response.status}`;
  } catch (error) {
    return error instanceof Error && error.name === "TimeoutError" ? "the webhook did not answer within 5 s" : "the webhook could not be reached";
  }
}
