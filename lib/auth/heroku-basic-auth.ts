import { safeEqual } from "@/lib/crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Checks the Partner API's HTTP Basic credentials (manifest id and password) in constant
 * time. Runs before anything else in each Partner API handler, so an unauthenticated caller
 * learns nothing, not even whether a resource exists.
 */
export function requireHerokuBasicAuth(header: string | null): void {
  const expected = `${env().HEROKU_ADDON_ID}:${env().HEROKU_ADDON_PASSWORD}`;
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  const given = match?.[1] ? Buffer.from(match[1], "base64").toString("utf8") : "";
  // Always compare, even with nothing given, so a missing header takes as long as a wrong one.
  if (!safeEqual(given, expected) || !match) {
    throw new AppError("unauthorized", "Heroku Partner API credentials are missing or wrong");
  }
}
