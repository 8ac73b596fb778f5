import http from "node:http";
import https from "node:https";
import { pinnedLookup } from "@/lib/net/pinned-lookup";
import { DestinationRefusedError, resolveUrlDestination, type ResolveOptions } from "@/lib/net/resolve-destination";

export interface CheckedRequestOptions extends ResolveOptions {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBytes: number;
}

/** A request that reached nobody or gave up; `kind` is all a tenant is told. */
export class CheckedRequestError extends Error {
  constructor(
    readonly kind: "timeout" | "too_large" | "unreachable",
    options: { cause?: unknown } = {},
  ) {
    super(kind === "timeout" ? "did not answer in time" : kind === "too_large" ? "answered more than allowed" : "could not be reached", options);
    this.name = "CheckedRequestError";
  }
}

/**
 * An HTTP(S) request to a customer-given URL: http(s) only, the host checked by
 * resolveDestination and the socket pinned to the checked address (Host and SNI keep the
 * name), no redirects followed (a 3xx is returned as is), a whole-request timeout and a cap
 * on the answer's size. Throws DestinationRefusedError or CheckedRequestError.
 */
export async function requestCheckedUrl(rawUrl: string, options: CheckedRequestOptions): Promise<{ status: number; body: string }> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new DestinationRefusedError("invalid_host");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new DestinationRefusedError("invalid_host");
  const destination = await resolveUrlDestination(url, url.protocol === "https:" ? 443 : 80, options);
  const client = url.protocol === "https:" ? https : http;

  return await new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const request = client.request(
      {
        protocol: url.protocol,
        // The name, so Host and SNI are right; the pinned lookup sends the socket to the checked address.
        hostname: destination.servername ?? destination.address,
        port: destination.port,
        path: `${url.pathname}${url.search}`,
        method: options.method,
        headers: options.headers,
        lookup: pinnedLookup(destination),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            fail(new CheckedRequestError("too_large"));
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", (error) => fail(new CheckedRequestError("unreachable", { cause: error })));
      },
    );
    const timer = setTimeout(() => fail(new CheckedRequestError("timeout")), options.timeoutMs);
    request.on("error", (error) => fail(new CheckedRequestError("unreachable", { cause: error })));
    request.end(options.body);
  });
}
