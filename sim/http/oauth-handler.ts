import { z } from "zod";
import { HerokuError, herokuErrors } from "../heroku-error";
import { type OAuthScope, oauthScopes } from "../world/oauth";
import type { SimWorld } from "../world/sim-world";
import { basicCredentials } from "./credentials";
import { json, type SimRequest, type SimResponse } from "./types";

const tokenRequestSchema = z.discriminatedUnion("grant_type", [
  z.object({ grant_type: z.literal("authorization_code"), code: z.string().min(1), client_secret: z.string().optional() }),
  z.object({ grant_type: z.literal("refresh_token"), refresh_token: z.string().min(1), client_secret: z.string().optional() }),
]);

const authorizeQuerySchema = z.object({
  client_id: z.string().min(1),
  response_type: z.literal("code"),
  scope: z.string().optional(),
  state: z.string().optional(),
  redirect_uri: z.url().optional(),
  /** Not Heroku's: picks the approving account instead of the sim's session account. */
  sim_account: z.string().optional(),
});

/** `/oauth/token` takes a form (as OAuth clients send) or JSON. */
function readFields(request: SimRequest): Record<string, string> {
  const type = request.headers["content-type"] ?? "";
  if (type.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.rawBody || "{}");
    } catch {
      throw herokuErrors.badRequest();
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw herokuErrors.badRequest();
    return Object.fromEntries(
      Object.entries(parsed).flatMap(([key, value]) => (typeof value === "string" ? [[key, value]] : [])),
    );
  }
  return Object.fromEntries(new URLSearchParams(request.rawBody));
}

/**
 * POST /oauth/token, as id.heroku.com answers it. The client secret may come in the body or
 * as the password of HTTP Basic auth (RFC 6749 §2.3.1); errors are Heroku's `{id, message}`.
 */
function exchangeToken(world: SimWorld, request: SimRequest): SimResponse {
  const fault = world.faults.tokenFault();
  if (fault) throw fault;
  const parsed = tokenRequestSchema.safeParse(readFields(request));
  if (!parsed.success) throw herokuErrors.invalidParams(`Invalid params: ${z.prettifyError(parsed.error)}`);
  const input = parsed.data;
  const secret = input.client_secret ?? (basicCredentials(request.headers.authorization)?.password || undefined);
  const issued =
    input.grant_type === "authorization_code"
      ? world.oauth.exchangeCode(input.code, secret)
      : world.oauth.refresh(input.refresh_token, secret);
  return json(200, {
    access_token: issued.accessToken,
    expires_in: issued.expiresInSeconds,
    refresh_token: issued.refreshToken,
    token_type: "Bearer",
    user_id: issued.userId,
    session_nonce: issued.sessionNonce,
  });
}

function parseScopes(scope: string | undefined): OAuthScope[] {
  const requested = (scope ?? "global").split(/[, ]+/).filter(Boolean);
  const known: readonly string[] = oauthScopes;
  const invalid = requested.filter((name) => !known.includes(name));
  if (invalid.length > 0) throw herokuErrors.invalidParams(`Invalid scope: ${invalid.join(", ")}.`);
  return oauthScopes.filter((name) => requested.includes(name));
}

/**
 * GET or POST /oauth/authorize: the sim's user approves at once and is redirected back with
 * `code` and `state`. The approving account is `sim_account` or the sim's session account.
 */
function authorize(world: SimWorld, request: SimRequest): SimResponse {
  const fields = request.method === "POST" ? new URLSearchParams(request.rawBody) : request.query;
  const parsed = authorizeQuerySchema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) throw herokuErrors.invalidParams(`Invalid params: ${z.prettifyError(parsed.error)}`);
  const input = parsed.data;
  const client = world.oauth.findClient(input.client_id);
  if (!client) throw herokuErrors.badRequest("Unknown OAuth client.");
  if (client.redirectUri && input.redirect_uri && input.redirect_uri !== client.redirectUri) {
    throw herokuErrors.badRequest("The redirect_uri does not match the one registered for this client.");
  }
  const redirectUri = input.redirect_uri ?? client.redirectUri;
  if (!redirectUri) throw herokuErrors.badRequest("This client has no redirect_uri.");
  const accountRef = input.sim_account ?? world.sessionAccountId;
  const account = accountRef ? world.accounts.find(accountRef) : undefined;
  if (!account) throw herokuErrors.unauthorized("No Heroku session: create an account or pass sim_account.");
  const grant = world.issueAuthorizationCode({ account: account.id, clientId: client.id, scopes: parseScopes(input.scope) });
  const location = new URL(redirectUri);
  location.searchParams.set("code", grant.code);
  if (input.state !== undefined) location.searchParams.set("state", input.state);
  return { status: 302, headers: { Location: location.toString() }, text: "" };
}

/** The ID side (id.heroku.com) of the simulator. */
export function handleOAuthRequest(world: SimWorld, request: SimRequest): SimResponse {
  try {
    if (request.path === "/oauth/token" && request.method === "POST") return exchangeToken(world, request);
    if (request.path === "/oauth/authorize" && (request.method === "GET" || request.method === "POST")) {
      return authorize(world, request);
    }
    throw herokuErrors.notFound("Not found.");
  } catch (error) {
    if (error instanceof HerokuError) return json(error.status, error.toBody());
    world.logger.error({ err: error, path: request.path }, "simulated OAuth endpoint failed");
    return json(500, herokuErrors.internal().toBody());
  }
}
