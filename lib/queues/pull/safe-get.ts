import { CheckedRequestError, requestCheckedUrl } from "@/lib/net/request-checked-url";
import { isDestinationRefusedError } from "@/lib/net/resolve-destination";
import { ProbeError, destinationProbeError } from "@/lib/queues/errors";

export interface SafeGetOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  /** Development only: allow loopback and private addresses. Defaults to EBBFLOW_ALLOW_PRIVATE_TARGETS. */
  allowPrivateAddresses?: boolean;
}

/**
 * GET a customer-supplied URL through lib/net's checked request (http(s) only, the host
 * checked and pinned, no redirects, a timeout and a size cap), with failures as ProbeErrors.
 */
export async function safeGet(rawUrl: string, options: SafeGetOptions): Promise<{ status: number; body: string }> {
  if (!URL.canParse(rawUrl)) throw new ProbeError("invalid_config", "The endpoint URL is not a valid URL.");
  const protocol = new URL(rawUrl).protocol;
  if (protocol !== "http:" && protocol !== "https:") {
    throw new ProbeError("invalid_config", "The endpoint URL must start with https:// (or http://).");
  }
  let answer: { status: number; body: string };
  try {
    answer = await requestCheckedUrl(rawUrl, {
      method: "GET",
      headers: { accept: "application/json", "user-agent": "Ebbflow-Probe/1", ...options.headers },
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      allowPrivate: options.allowPrivateAddresses,
    });
  } catch (error) {
    if (isDestinationRefusedError(error)) throw destinationProbeError(error);
    if (error instanceof CheckedRequestError) {
      if (error.kind === "timeout") throw new ProbeError("timeout", `The endpoint did not answer within ${options.timeoutMs} ms.`);
      if (error.kind === "too_large") throw new ProbeError("bad_response", `The endpoint's answer is larger than ${Math.round(options.maxBytes / 1024)} KB.`);
      throw new ProbeError("unreachable", "The endpoint refused or dropped the connection. Check the URL, and that the app is running.");
    }
    throw error;
  }
  if (answer.status >= 300 && answer.status < 400) {
    throw new ProbeError("bad_response", `The endpoint answered ${answer.status} (a redirect); Ebbflow does not follow redirects. Use the final URL.`);
  }
  return answer;
}
