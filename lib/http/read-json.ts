import type { NextRequest } from "next/server";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { describeZodError } from "@/lib/http/handle";

/** Request bodies above this are refused before parsing, unless the caller sets its own limit. */
const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Reads a JSON body and validates it: 400 for bytes that are not JSON or too many, 422 naming bad fields. */
export async function readJson<Schema extends z.ZodType>(
  request: NextRequest,
  schema: Schema,
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
): Promise<z.infer<Schema>> {
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) {
    throw new AppError("bad_request", `Request body is larger than ${Math.round(maxBytes / 1024)} KB`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError("invalid_params", describeZodError(parsed.error));
  return parsed.data;
}
