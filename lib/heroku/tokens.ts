import { seal, unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import type { TokenKind } from "@/lib/db/generated/enums";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-audit";
import { OAuthError, refreshAccessToken, type TokenResponse } from "@/lib/heroku/oauth";
import { log } from "@/lib/log";

/** Refresh when less than this is left, so a check never starts with a token about to die. */
export const REFRESH_MARGIN_MS = 10 * 60_000;

/** Which OAuth client's secret refreshes which kind of token. */
function clientSecretFor(kind: TokenKind): string {
  return kind === "addon" ? env().HEROKU_PARTNER_CLIENT_SECRET : env().HEROKU_OAUTH_SECRET;
}

/** Stores (or replaces) a tenant's token of one kind, sealed. */
export async function saveToken(
  tenantId: string,
  kind: TokenKind,
  token: TokenResponse,
  actor: string,
  now: Date = new Date(),
): Promise<void> {
  const access = seal(token.access_token);
  const refresh = seal(token.refresh_token);
  const fields = {
    accessTokenSealed: access.value,
    refreshTokenSealed: refresh.value,
    keyId: access.keyId,
    scope: token.scope ?? null,
    herokuUserId: token.user_id ?? null,
    expiresAt: new Date(now.getTime() + token.expires_in * 1000),
    revokedAt: null,
  };
  await db.$transaction(async (tx) => {
    await tx.herokuToken.upsert({
      where: { tenantId_kind: { tenantId, kind } },
      create: { tenantId, kind, ...fields },
      update: fields,
    });
    await recordAudit({ tenantId, actor, action: "token.granted", details: { kind, scope: token.scope ?? null } }, tx);
  });
}

export class TokenUnavailableError extends Error {
  constructor(
    readonly kind: TokenKind,
    message: string,
  ) {
    super(message);
    this.name = "TokenUnavailableError";
  }
}

interface LockedToken {
  id: string;
  access_token_sealed: string;
  refresh_token_sealed: string;
  expires_at: Date;
  revoked_at: Date | null;
}

/**
 * A live access token for the tenant, refreshed first if it is close to expiry. Refresh
 * happens inside a transaction holding the token row's lock, so with any number of workers
 * one refreshes and the others wait, then read the new token: Heroku rotates refresh tokens,
 * and a second refresh with the old one would fail and lose the authorization.
 */
export async function getAccessToken(
  tenantId: string,
  kind: TokenKind,
  options: { now?: () => Date; force?: boolean } = {},
): Promise<string> {
  const now = options.now ?? (() => new Date());
  const current = await db.herokuToken.findUnique({
    where: { tenantId_kind: { tenantId, kind } },
    select: { accessTokenSealed: true, expiresAt: true, revokedAt: true },
  });
  if (!current || current.revokedAt) throw new TokenUnavailableError(kind, `No ${kind} token for this app`);
  if (!options.force && current.expiresAt.getTime() - now().getTime() > REFRESH_MARGIN_MS) {
    return unseal(current.accessTokenSealed);
  }
  return refreshUnderLock(tenantId, kind, now, current.accessTokenSealed, options.force ?? false);
}

async function refreshUnderLock(
  tenantId: string,
  kind: TokenKind,
  now: () => Date,
  seenAccessSealed: string,
  force: boolean,
): Promise<string> {
  const outcome = await db.$transaction(
    async (tx): Promise<{ token: string } | { refused: { status: number | null; refreshSealed: string; id: string } }> => {
      const [row] = await tx.$queryRaw<LockedToken[]>`
        SELECT id, access_token_sealed, refresh_token_sealed, expires_at, revoked_at
          FROM heroku_tokens
         WHERE tenant_id = ${tenantId}::uuid AND kind = ${kind}::"TokenKind"
           FOR UPDATE`;
      if (!row || row.revoked_at) throw new TokenUnavailableError(kind, `No ${kind} token for this app`);
      // Someone else refreshed while we waited for the lock: use theirs.
      const refreshedMeanwhile = row.access_token_sealed !== seenAccessSealed;
      if (refreshedMeanwhile || (!force && row.expires_at.getTime() - now().getTime() > REFRESH_MARGIN_MS)) {
        return { token: unseal(row.access_token_sealed) };
      }
      let fresh: TokenResponse;
      try {
        fresh = await refreshAccessToken(unseal(row.refresh_token_sealed), clientSecretFor(kind));
      } catch (error) {
        // Recorded after the transaction: throwing here would roll the revocation back.
        if (error instanceof OAuthError && error.permanent) {
          return { refused: { status: error.status, refreshSealed: row.refresh_token_sealed, id: row.id } };
        }
        throw error;
      }
      const access = seal(fresh.access_token);
      await tx.herokuToken.update({
        where: { id: row.id },
        data: {
          accessTokenSealed: access.value,
          refreshTokenSealed: seal(fresh.refresh_token).value,
          keyId: access.keyId,
          expiresAt: new Date(now().getTime() + fresh.expires_in * 1000),
        },
      });
      await recordAudit({ tenantId, actor: "ebbflow", action: "token.refreshed", details: { kind } }, tx);
      return { token: fresh.access_token };
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
  if ("token" in outcome) return outcome.token;

  // Heroku refused the refresh token: the authorization is lost. Revoke the row unless a new
  // authorization replaced it meanwhile (saveToken writes a new refresh token).
  const { status, refreshSealed, id } = outcome.refused;
  await db.$transaction(async (tx) => {
    const { count } = await tx.herokuToken.updateMany({
      where: { id, revokedAt: null, refreshTokenSealed: refreshSealed },
      data: { revokedAt: now() },
    });
    if (count === 1) {
      await recordAudit({ tenantId, actor: "ebbflow", action: "token.refresh_failed", details: { kind, status } }, tx);
    }
  });
  log.warn({ tenantId, kind, status }, "Heroku refused the refresh token; authorization lost");
  throw new TokenUnavailableError(kind, `Heroku no longer accepts this app's ${kind} authorization`);
}

/** Tokens that expire within `withinMs`: the upkeep job refreshes them ahead of time. */
export async function tokensExpiringSoon(withinMs: number, now: Date = new Date()) {
  return db.herokuToken.findMany({
    where: { revokedAt: null, expiresAt: { lt: new Date(now.getTime() + withinMs) } },
    select: { tenantId: true, kind: true },
    take: 500,
  });
}

/** Forgets a tenant's tokens: the sealed values are wiped, the rows stay as a record. */
export async function revokeTokens(tenantId: string, now: Date = new Date()): Promise<number> {
  const { count } = await db.herokuToken.updateMany({
    where: { tenantId, revokedAt: null },
    data: { revokedAt: now, accessTokenSealed: "", refreshTokenSealed: "" },
  });
  return count;
}
