import { decode, encode } from "next-auth/jwt";
import { z } from "zod";
import { env } from "@/lib/env";

/** Sessions last a working day; Heroku's SSO starts a new one each time the dashboard opens. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** What a session says about who is signed in and how they came. */
export const sessionClaimsSchema = z.object({
  sub: z.uuid(),
  email: z.string(),
  name: z.string().nullish(),
  /** "sso" from `heroku addons:open`, "heroku" from signing in with Heroku OAuth. */
  via: z.enum(["sso", "heroku"]),
  /** The app opened through SSO, for the Heroku header. */
  ssoTenantId: z.uuid().optional(),
});
export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

/** next-auth's cookie name: the __Secure- prefix when Ebbflow is served over https. */
export function sessionCookieName(): string {
  return env().APP_URL.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** A session token next-auth itself accepts, so SSO and OAuth sign-ins share one session. */
export function encodeSession(claims: SessionClaims): Promise<string> {
  return encode({ token: claims, secret: env().NEXTAUTH_SECRET, maxAge: SESSION_MAX_AGE_SECONDS });
}

export async function decodeSession(token: string | undefined): Promise<SessionClaims | null> {
  if (!token) return null;
  try {
    const payload = await decode({ token, secret: env().NEXTAUTH_SECRET });
    const parsed = sessionClaimsSchema.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    // A token that does not decrypt (old secret, tampering) is simply no session.
    return null;
  }
}
