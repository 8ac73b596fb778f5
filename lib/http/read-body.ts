import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

/** Bodies above this are refused unless the route sets its own limit. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Reads a request body as bytes, refusing it with 413 as soon as it passes `maxBytes`: a
 * Content-Length above the cap is refused before one byte is read, and a body sent without one
 * (chunked) is read a chunk at a time and abandoned at the cap, so no request can make the
 * process hold more than `maxBytes` of it. Every route that reads a body reads it through here.
 */
export async function readBody(request: Request, maxBytes: number = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = () =>
    new AppError("payload_too_large", `Request body is larger than ${formatBytes(maxBytes)}`, { maxBytes });
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      // The refusal stands whatever the cancel does; a failed cancel is only worth a trace.
      await reader.cancel().catch((error: unknown) => log.debug({ err: error }, "cancelling an oversized body failed"));
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, received);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
