import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { readFormation } from "@/lib/heroku/formation";
import { getAccessToken, saveToken, TokenUnavailableError } from "@/lib/heroku/tokens";
import { useCheckedSim } from "../helpers/checked-sim";

/**
 * Finding 10 of the security review: lib/heroku/tokens.ts had no test. Against real Postgres
 * and the simulated Heroku (which rotates refresh tokens, as Heroku does): many workers that
 * need a fresh token at once refresh it once; a 401 from the Platform API refreshes and
 * retries; a refused refresh revokes the authorization, a token endpoint that is down does not.
 */

const checked = useCheckedSim();
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");

beforeAll(() => {
  vi.stubEnv("HEROKU_API_URL", checked.harness.sim.apiUrl);
  vi.stubEnv("HEROKU_ID_URL", checked.harness.sim.idUrl);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await redis.quit();
  await disconnectDb();
});

/** A tenant whose scaling authorization came from Ebbflow's OAuth client on the simulated Heroku. */
async function authorizedTenant(options: { expiresInSeconds: number }) {
  const { sim } = checked.harness;
  const suffix = randomUUID().slice(0, 8);
  const account = sim.createAccount({ email: `tokens-${suffix}@example.com` });
  const app = await sim.createApp({ owner: account.id, processTypes: [{ type: "worker", quantity: 1 }] });
  const client = sim.registerOAuthClient({ secret: env().HEROKU_OAUTH_SECRET, name: `ebbflow-${suffix}` });
  const issued = sim.world.oauth.issueToken({ principal: { kind: "user", accountId: account.id }, scopes: ["identity", "write"], clientId: client.id });
  const tenant = await db.tenant.create({
    data: { channel: "direct", appName: app.name, herokuAppId: app.id, plan: "pro", state: "active", membersCheckedAt: new Date() },
    select: { id: true },
  });
  await saveToken(
    tenant.id,
    "scaling",
    { access_token: issued.accessToken, refresh_token: issued.refreshToken, expires_in: options.expiresInSeconds, user_id: account.id },
    "test",
  );
  return { tenantId: tenant.id, account, app, issued, clientSecret: client.secret };
}

function auditCount(tenantId: string, action: "token.refreshed" | "token.refresh_failed") {
  return db.auditLog.count({ where: { tenantId, action } });
}

describe("token refresh", () => {
  it("refreshes once under the row lock when many callers find the token about to expire", async () => {
    const { tenantId, issued } = await authorizedTenant({ expiresInSeconds: 60 });
    const tokens = await Promise.all(Array.from({ length: 8 }, () => getAccessToken(tenantId, "scaling")));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(issued.accessToken);
    expect(await auditCount(tenantId, "token.refreshed")).toBe(1);
    // The stored refresh token is the one Heroku rotated to: it refreshes again.
    const again = await getAccessToken(tenantId, "scaling", { force: true });
    expect(again).not.toBe(tokens[0]);
    expect(await auditCount(tenantId, "token.refresh_failed")).toBe(0);
    const row = await db.herokuToken.findUniqueOrThrow({ where: { tenantId_kind: { tenantId, kind: "scaling" } }, select: { revokedAt: true, expiresAt: true } });
    expect(row.revokedAt).toBeNull();
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 3_600_000);
  });

  it("uses the stored token while it is fresh, without asking Heroku", async () => {
    const { tenantId, issued } = await authorizedTenant({ expiresInSeconds: 3600 });
    expect(await getAccessToken(tenantId, "scaling")).toBe(issued.accessToken);
    expect(await auditCount(tenantId, "token.refreshed")).toBe(0);
  });

  it("refreshes and retries once when the Platform API answers 401", async () => {
    const { tenantId, account, app } = await authorizedTenant({ expiresInSeconds: 3600 });
    // Heroku forgets the access token early (revoked session, clock skew): Ebbflow still thinks it fresh.
    await db.herokuToken.update({
      where: { tenantId_kind: { tenantId, kind: "scaling" } },
      data: { accessTokenSealed: (await import("@/lib/crypto")).seal("HRKU-not-a-live-token").value },
    });
    const outcome = await readFormation({ tenantId, appRef: app.name, account: account.id, redis });
    expect(outcome).toMatchObject({ kind: "ok", quantities: { worker: 1 } });
    expect(await auditCount(tenantId, "token.refreshed")).toBe(1);
  });

  it("revokes the authorization when Heroku refuses the refresh token", async () => {
    const { tenantId, issued, clientSecret } = await authorizedTenant({ expiresInSeconds: 60 });
    // Someone else used the refresh token first: Heroku rotated it, the stored one is dead.
    checked.harness.sim.world.oauth.refresh(issued.refreshToken, clientSecret);
    await expect(getAccessToken(tenantId, "scaling")).rejects.toBeInstanceOf(TokenUnavailableError);
    const row = await db.herokuToken.findUniqueOrThrow({ where: { tenantId_kind: { tenantId, kind: "scaling" } }, select: { revokedAt: true } });
    expect(row.revokedAt).not.toBeNull();
    expect(await auditCount(tenantId, "token.refresh_failed")).toBe(1);
    // Once revoked, nobody tries again with it.
    await expect(getAccessToken(tenantId, "scaling")).rejects.toBeInstanceOf(TokenUnavailableError);
    expect(await auditCount(tenantId, "token.refresh_failed")).toBe(1);
  });

  it("keeps the authorization when the token endpoint is down, to try again later", async () => {
    const { tenantId } = await authorizedTenant({ expiresInSeconds: 60 });
    checked.harness.sim.world.faults.set({ tokenServerErrorRate: 1 });
    try {
      await expect(getAccessToken(tenantId, "scaling")).rejects.toThrow(/503/);
    } finally {
      checked.harness.sim.world.faults.set({ tokenServerErrorRate: 0 });
    }
    const row = await db.herokuToken.findUniqueOrThrow({ where: { tenantId_kind: { tenantId, kind: "scaling" } }, select: { revokedAt: true } });
    expect(row.revokedAt).toBeNull();
    expect(await getAccessToken(tenantId, "scaling")).toMatch(/\S/);
  });
});
