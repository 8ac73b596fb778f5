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
  /** A resource-scoped SSO session (the tenant's shadow user): short, see sessionMaxAgeSeconds. */
  resourceScoped: z.boolean().optional(),
  /** Epoch seconds after which the session is refused, whatever re-issued it (next-auth slides exp). */
  notAfter: z.number().int().optional(),
});
export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

/** next-auth's cookie name: the __Secure- prefix when Ebbflow is served over https. */
export function sessionCookieName(): string {
  return env().APP_URL.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/**
 * A resource-scoped SSO session cannot be checked against Heroku's collaborator list (it names
 * no user), so it lasts no longer than a membership may outlive its Heroku access.
 */
export const RESOURCE_SESSION_MAX_AGE_SECONDS = 10 * 60;

export function sessionMaxAgeSeconds(claims: Pick<SessionClaims, "resourceScoped">): number {
  return claims.resourceScoped ? RESOURCE_SESSION_MAX_AGE_SECONDS : SESSION_MAX_AGE_SECONDS;
}

/** A session token next-auth itself accepts, so SSO and OAuth sign-ins share one session. */
export function encodeSession(claims: SessionClaims): Promise<string> {
  return encode({ token: claims, secret: env().NEXTAUTH_SECRET, maxAge: sessionMaxAgeSeconds(claims) });
}

export async function decodeSession(token: string | undefined): Promise<SessionClaims | null> {
  if (!token) return null;
  try {
    const payload = await decode({ token, secret: env().NEXTAUTH_SECRET });
    const parsed = sessionClaimsSchema.safeParse(payload);
    if (!parsed.success) return null;
    if (parsed.data.resourceScoped && !(parsed.data.notAfter && parsed.data.notAfter > Date.now() / 1000)) return null;
    return parsed.data;
  } catch {
    // A token that does not decrypt (old secret, tampering) is simply no session.
    return null;
  }
}
