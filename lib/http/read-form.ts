import { AppError } from "@/lib/errors";
import { readBody } from "@/lib/http/read-body";

/** Form posts here are a few fields; anything larger is not one of ours. */
const MAX_FORM_BYTES = 16 * 1024;

/**
 * Reads an `application/x-www-form-urlencoded` body (what an HTML form and Heroku's SSO post
 * send) into its string fields, capped like every body (413), 415 for any other type.
 */
export async function readForm(request: Request, maxBytes: number = MAX_FORM_BYTES): Promise<Record<string, string>> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new AppError("unsupported_media_type", "Send the form as application/x-www-form-urlencoded");
  }
  const text = (await readBody(request, maxBytes)).toString("utf8");
  return Object.fromEntries(new URLSearchParams(text).entries());
}
