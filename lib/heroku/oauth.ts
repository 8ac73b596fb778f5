import { z } from "zod";
import { env } from "@/lib/env";

/** Heroku's answer from POST /oauth/token, for both grant types. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().optional(),
  user_id: z.string().optional(),
  scope: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export class OAuthError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** True when the grant or refresh token itself is dead: retrying cannot help. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "OAuthError";
  }
}

async function requestToken(form: Record<string, string>): Promise<TokenResponse> {
  let response: Response;
  try {
    response = await fetch(new URL("/oauth/token", env().HEROKU_ID_URL), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new OAuthError(`Heroku's token endpoint did not answer: ${(error as Error).message}`, null, false);
  }
  const text = await response.text();
  if (!response.ok) {
    const permanent = response.status === 400 || response.status === 401 || response.status === 403;
    const id = safeErrorId(text);
    throw new OAuthError(`Heroku refused the token request (${response.status}${id ? ` ${id}` : ""})`, response.status, permanent);
  }
  const parsed = tokenResponseSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new OAuthError("Heroku's token response was not in the expected shape", response.status, false);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function safeErrorId(text: string): string | undefined {
  const parsed = z.object({ id: z.string() }).safeParse(safeJson(text));
  return parsed.success ? parsed.data.id : undefined;
}

/** Exchanges an authorization code (the add-on's oauth_grant, or a user's authorization). */
export function exchangeCode(code: string, clientSecret: string): Promise<TokenResponse> {
  return requestToken({ grant_type: "authorization_code", code, client_secret: clientSecret });
}

/** Trades a refresh token for a new access token (and, on Heroku, a rotated refresh token). */
export function refreshAccessToken(refreshToken: string, clientSecret: string): Promise<TokenResponse> {
  return requestToken({ grant_type: "refresh_token", refresh_token: refreshToken, client_secret: clientSecret });
}

/** The URL that asks a Heroku user to let Ebbflow change their app's formation. */
export function authorizeUrl(state: string, scope = "write"): string {
  const url = new URL("/oauth/authorize", env().HEROKU_ID_URL);
  url.searchParams.set("client_id", env().HEROKU_OAUTH_ID);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", scope);
  url.searchParams.set("state", state);
  return url.toString();
}
