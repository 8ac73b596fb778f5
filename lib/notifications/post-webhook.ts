import { CheckedRequestError, requestCheckedUrl } from "@/lib/net/request-checked-url";
import { isDestinationRefusedError } from "@/lib/net/resolve-destination";

export interface WebhookOptions {
  timeoutMs?: number;
  /** Development and tests only: allow loopback and private addresses. Defaults to EBBFLOW_ALLOW_PRIVATE_TARGETS. */
  allowPrivateAddresses?: boolean;
}

/**
 * POSTs a JSON body to a customer's webhook through lib/net's checked request: the host is
 * resolved once and must be public (a customer's URL must not reach Ebbflow's own network),
 * the socket goes to the address that was checked (no second lookup a DNS answer could
 * change), redirects are not followed, and a slow endpoint is given up on after a few
 * seconds. Returns null on a 2xx, else what went wrong in coarse words.
 */
export async function postWebhook(url: string, body: unknown, options: WebhookOptions = {}): Promise<string | null> {
  try {
    const response = await requestCheckedUrl(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Ebbflow" },
      body: JSON.stringify(body),
      timeoutMs: options.timeoutMs ?? 5000,
      maxBytes: 64 * 1024,
      allowPrivate: options.allowPrivateAddresses,
    });
    return response.status >= 200 && response.status < 300 ? null : `the webhook answered ${response.status}`;
  } catch (error) {
    if (isDestinationRefusedError(error)) return `the webhook was ${error.message}`;
    if (error instanceof CheckedRequestError) {
      if (error.kind === "timeout") return `the webhook did not answer within ${Math.round((options.timeoutMs ?? 5000) / 1000)} s`;
      if (error.kind === "too_large") return "the webhook answered with more than 64 KB";
      return "the webhook could not be reached";
    }
    throw error;
  }
}
