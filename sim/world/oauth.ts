import { timingSafeEqual } from "node:crypto";
import type { SimClock } from "../clock";
import { HerokuError, herokuErrors } from "../heroku-error";
import { newAccessToken, newId, newRefreshToken, randomHex } from "../ids";

/** Heroku's OAuth scopes. */
export const oauthScopes = ["global", "identity", "read", "write", "read-protected", "write-protected"] as const;
export type OAuthScope = (typeof oauthScopes)[number];

/** Who a token acts for: a Heroku user, or an add-on (the provision grant's token). */
export type Principal =
  | { kind: "user"; accountId: string }
  | { kind: "addon"; addonId: string; appId: string; userId: string };

export interface OAuthClient {
  id: string;
  secret: string;
  name: string;
  redirectUri: string | null;
}

/** What a successful token exchange or refresh hands out. */
export interface IssuedToken {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  userId: string;
  sessionNonce: string | null;
  scopes: OAuthScope[];
}

export interface AccessTokenRecord {
  token: string;
  authorizationId: string;
  principal: Principal;
  scopes: OAuthScope[];
  clientId: string | null;
  expiresAtMs: number;
}

interface Authorization {
  id: string;
  clientId: string | null;
  principal: Principal;
  scopes: OAuthScope[];
  refreshToken: string;
}

interface Grant {
  code: string;
  clientId: string;
  principal: Principal;
  scopes: OAuthScope[];
  expiresAtMs: number;
  used: boolean;
}

export interface OAuthSettings {
  /** Access token lifetime (Heroku: 8 hours). */
  tokenTtlSeconds: number;
  /** Grant code lifetime (Heroku: 5 minutes). */
  grantTtlSeconds: number;
  /** Hand out a new refresh token on every refresh and retire the old one. */
  rotateRefreshTokens: boolean;
}

function sameSecret(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function invalidGrant(message: string): HerokuError {
  return herokuErrors.unauthorized(message);
}

/**
 * Heroku's OAuth state: clients, grant codes (5 minutes, single use), access tokens (8 hours)
 * and refresh tokens. By default refresh tokens rotate: a refresh hands out a new refresh token
 * and the old one stops working. That is stricter than Heroku, whose refresh tokens are
 * long-lived, so a client that always keeps the latest refresh token works with both.
 */
export class OAuthStore {
  private readonly clients = new Map<string, OAuthClient>();
  private readonly grants = new Map<string, Grant>();
  private readonly authorizations = new Map<string, Authorization>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshIndex = new Map<string, string>();

  constructor(
    private readonly clock: SimClock,
    private readonly timings: OAuthSettings,
  ) {}

  registerClient(input: { id?: string; secret?: string; name?: string; redirectUri?: string | null }): OAuthClient {
    const client: OAuthClient = {
      id: input.id ?? newId(),
      secret: input.secret ?? randomHex(32),
      name: input.name ?? "OAuth client",
      redirectUri: input.redirectUri ?? null,
    };
    this.clients.set(client.id, client);
    return client;
  }

  findClient(id: string): OAuthClient | undefined {
    return this.clients.get(id);
  }

  /** Issues a token directly, as `heroku authorizations:create` does (no grant dance). */
  issueToken(input: { principal: Principal; scopes: OAuthScope[]; clientId?: string | null }): IssuedToken {
    const authorization: Authorization = {
      id: newId(),
      clientId: input.clientId ?? null,
      principal: input.principal,
      scopes: [...input.scopes],
      refreshToken: newRefreshToken(),
    };
    this.authorizations.set(authorization.id, authorization);
    this.refreshIndex.set(authorization.refreshToken, authorization.id);
    return this.mintAccessToken(authorization);
  }

  /** A grant code for `clientId`, exchangeable once within the grant lifetime. */
  issueGrant(input: { principal: Principal; scopes: OAuthScope[]; clientId: string }): { code: string; expiresAtMs: number } {
    if (!this.clients.has(input.clientId)) throw new Error(`no OAuth client ${input.clientId}`);
    const grant: Grant = {
      code: newId(),
      clientId: input.clientId,
      principal: input.principal,
      scopes: [...input.scopes],
      expiresAtMs: this.clock.now() + this.timings.grantTtlSeconds * 1000,
      used: false,
    };
    this.grants.set(grant.code, grant);
    return { code: grant.code, expiresAtMs: grant.expiresAtMs };
  }

  /** `grant_type=authorization_code`: trades a grant code and its client's secret for tokens. */
  exchangeCode(code: string, clientSecret: string | undefined): IssuedToken {
    const grant = this.grants.get(code);
    if (!grant) throw invalidGrant("Invalid OAuth grant code.");
    const client = this.clients.get(grant.clientId);
    if (!client || !sameSecret(client.secret, clientSecret)) throw herokuErrors.unauthorized("Invalid OAuth client secret.");
    if (grant.used) throw invalidGrant("OAuth grant code has already been used.");
    if (this.clock.now() >= grant.expiresAtMs) throw invalidGrant("OAuth grant code has expired.");
    grant.used = true;
    return this.issueToken({ principal: grant.principal, scopes: grant.scopes, clientId: grant.clientId });
  }

  /** `grant_type=refresh_token`: a new access token (and, when rotating, a new refresh token). */
  refresh(refreshToken: string, clientSecret: string | undefined): IssuedToken {
    const authorizationId = this.refreshIndex.get(refreshToken);
    const authorization = authorizationId ? this.authorizations.get(authorizationId) : undefined;
    if (!authorization) throw invalidGrant("Invalid refresh token.");
    if (authorization.clientId !== null) {
      const client = this.clients.get(authorization.clientId);
      if (!client || !sameSecret(client.secret, clientSecret)) throw herokuErrors.unauthorized("Invalid OAuth client secret.");
    }
    if (this.timings.rotateRefreshTokens) {
      this.refreshIndex.delete(refreshToken);
      authorization.refreshToken = newRefreshToken();
      this.refreshIndex.set(authorization.refreshToken, authorization.id);
    }
    return this.mintAccessToken(authorization);
  }

  /** The record behind a bearer token; 401 if unknown or expired. */
  authenticate(token: string): AccessTokenRecord {
    const record = this.accessTokens.get(token);
    if (!record) throw herokuErrors.unauthorized();
    if (this.clock.now() >= record.expiresAtMs) throw herokuErrors.unauthorized();
    return record;
  }

  private mintAccessToken(authorization: Authorization): IssuedToken {
    const now = this.clock.now();
    const record: AccessTokenRecord = {
      token: newAccessToken(),
      authorizationId: authorization.id,
      principal: authorization.principal,
      scopes: authorization.scopes,
      clientId: authorization.clientId,
      expiresAtMs: now + this.timings.tokenTtlSeconds * 1000,
    };
    this.accessTokens.set(record.token, record);
    const principal = authorization.principal;
    return {
      accessToken: record.token,
      refreshToken: authorization.refreshToken,
      // Heroku reports one second less than the lifetime (28799 for 8 hours).
      expiresInSeconds: Math.max(0, this.timings.tokenTtlSeconds - 1),
      userId: principal.kind === "user" ? principal.accountId : principal.userId,
      sessionNonce: principal.kind === "user" ? randomHex(16) : null,
      scopes: authorization.scopes,
    };
  }
}
