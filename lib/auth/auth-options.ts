import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { env } from "@/lib/env";
import { stashAuthorization } from "@/lib/auth/pending-authorization";
import { SESSION_MAX_AGE_SECONDS, type SessionClaims } from "@/lib/auth/session-token";
import { upsertHerokuUser } from "@/lib/auth/upsert-user";

/** Scopes Ebbflow asks a Heroku user for: who they are, and the right to change formations. */
export const HEROKU_SCOPES = "identity write";

const herokuAccountSchema = z
  .looseObject({ id: z.uuid(), email: z.string(), name: z.string().nullish() })
  .transform((account) => ({ id: account.id, email: account.email, name: account.name ?? undefined }));
type HerokuAccount = z.infer<typeof herokuAccountSchema>;

/** Heroku as an OAuth provider for next-auth: id.heroku.com to authorize, /account for the profile. */
function herokuProvider(): OAuthConfig<HerokuAccount> {
  const { HEROKU_ID_URL, HEROKU_API_URL, HEROKU_OAUTH_ID, HEROKU_OAUTH_SECRET } = env();
  return {
    id: "heroku",
    name: "Heroku",
    type: "oauth",
    clientId: HEROKU_OAUTH_ID,
    clientSecret: HEROKU_OAUTH_SECRET,
    // Heroku's token endpoint takes the secret in the form body, not in Basic auth.
    client: { token_endpoint_auth_method: "client_secret_post" },
    checks: ["state"],
    authorization: { url: new URL("/oauth/authorize", HEROKU_ID_URL).toString(), params: { scope: HEROKU_SCOPES } },
    token: new URL("/oauth/token", HEROKU_ID_URL).toString(),
    userinfo: {
      url: new URL("/account", HEROKU_API_URL).toString(),
      async request({ tokens }) {
        const response = await fetch(new URL("/account", HEROKU_API_URL), {
          headers: {
            accept: "application/vnd.heroku+json; version=3",
            authorization: `Bearer ${tokens.access_token ?? ""}`,
          },
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`Heroku /account answered ${response.status}`);
        return herokuAccountSchema.parse(await response.json());
      },
    },
    profile: (account) => ({ id: account.id, email: account.email, name: account.name ?? null }),
  };
}

/** next-auth's configuration, built on first use (it reads the environment). */
export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    providers: [herokuProvider()],
    pages: { signIn: "/signin" },
    callbacks: {
      async jwt({ token, account, profile }) {
        if (!account || !profile) return token;
        const heroku = herokuAccountSchema.parse(profile);
        const user = await upsertHerokuUser({ herokuUserId: heroku.id, email: heroku.email, name: heroku.name });
        if (account.access_token && account.refresh_token) {
          await stashAuthorization(user.id, {
            access_token: account.access_token,
            refresh_token: account.refresh_token,
            expires_in: Math.max(60, (account.expires_at ?? 0) - Math.floor(Date.now() / 1000)) || 28_800,
            scope: account.scope ?? HEROKU_SCOPES,
            user_id: heroku.id,
          });
        }
        const claims: SessionClaims = { sub: user.id, email: user.email, name: user.name, via: "heroku" };
        return claims;
      },
    },
  };
}
