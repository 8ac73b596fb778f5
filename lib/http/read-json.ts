import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { DEFAULT_MAX_BODY_BYTES, readBody } from "@/lib/http/read-body";
import { validationError } from "@/lib/http/validation-error";

/**
 * Reads a JSON body and validates it: 415 unless it is sent as `application/json` (a browser
 * form or a cross-site `text/plain` post cannot be), 413 past `maxBytes` (checked while
 * reading), 400 for bytes that are not JSON, 422 with one issue per bad field.
 */
export async function readJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
): Promise<z.infer<Schema>> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with `Content-Type: application/json`");
  }
  const text = (await readBody(request, maxBytes)).toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** `application/json`, with parameters (`; charset=utf-8`) or not; nothing else. */
export function isJsonContentType(header: string | null): boolean {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}
