import { randomBytes } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** What a Heroku OAuth round trip was started for, and for which app. */
export type OAuthPurpose = "connect" | "authorize";

export const OAUTH_INTENT_COOKIE = "ebbflow-oauth-intent";
const INTENT_MAX_AGE_SECONDS = 10 * 60;

interface CookieJar {
  get(name: string): { value: string } | undefined;
}

/**
 * Starts an OAuth round trip that ends on a GET callback which changes state (connecting an app,
 * giving an app its scaling authorization). A random value goes both into an httpOnly cookie
 * (with the purpose and the app) and into the callback URL; the callback acts only when the
 * two agree. Another site can send a visitor to the callback URL but can neither read nor set
 * the cookie, so it cannot make Ebbflow act for a round trip the visitor did not start.
 */
export function startOAuthIntent(purpose: OAuthPurpose, target: string, callbackPath: string) {
  const nonce = randomBytes(24).toString("base64url");
  const callback = new URL(callbackPath, env().APP_URL);
  callback.searchParams.set("intent", nonce);
  return {
    callbackUrl: `${callback.pathname}${callback.search}`,
    cookie: {
      name: OAUTH_INTENT_COOKIE,
      value: `${purpose}.${Buffer.from(target).toString("base64url")}.${nonce}`,
      options: { httpOnly: true, sameSite: "lax" as const, secure: env().APP_URL.startsWith("https://"), path: "/", maxAge: INTENT_MAX_AGE_SECONDS },
    },
  };
}

/** 403 unless this browser started a round trip for `purpose` and `target` with the URL's `intent`. */
export function checkOAuthIntent(cookies: CookieJar, intent: string | null, purpose: OAuthPurpose, target: string): void {
  const [cookiePurpose, cookieTarget, nonce] = (cookies.get(OAUTH_INTENT_COOKIE)?.value ?? "").split(".");
  const matches =
    cookiePurpose === purpose &&
    cookieTarget === Buffer.from(target).toString("base64url") &&
    typeof nonce === "string" &&
    nonce.length > 0 &&
    safeEqual(intent ?? "", nonce);
  if (!matches) throw new AppError("forbidden", "This Heroku authorization was not started from this browser; start it again from Ebbflow.");
}
