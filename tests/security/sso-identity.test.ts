import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it, vi } from "vitest";
import { POST as saveScaling } from "@/app/apps/[tenantId]/settings/scaling/route";
import { POST as rotateAgentToken } from "@/app/apps/[tenantId]/sources/agent-token/route";
import { POST as ssoPost, GET as ssoGet } from "@/app/heroku/sso/route";
import { decodeSession, encodeSession, sessionCookieName, type SessionClaims } from "@/lib/auth/session-token";
import { db, disconnectDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { disconnectWebRedis } from "@/lib/redis/connection";
import { computeSsoTokens } from "@/sim/driver/sso-tokens";

/**
 * Finding 1 and 6 of the security review: a form whose only token covers the resource must
 * not sign in as whatever email it names; users are keyed by Heroku user id, not email.
 */

/** The "request's" session cookie, for the dashboard routes: they read it through next/headers. */
const cookieJar = vi.hoisted(() => ({ token: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (cookieJar.token && name === sessionCookieName() ? { name, value: cookieJar.token } : undefined),
    has: (name: string) => Boolean(cookieJar.token) && name === sessionCookieName(),
  }),
}));

afterAll(async () => {
  await disconnectWebRedis();
  await disconnectDb();
});

const noParams = { params: Promise.resolve({}) };
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function addonTenant() {
  const resourceId = randomUUID();
  const tenant = await db.tenant.create({
    data: {
      channel: "heroku",
      herokuResourceId: resourceId,
      herokuAppId: randomUUID(),
      appName: `sec-${resourceId.slice(0, 8)}`,
      plan: "hobby",
      state: "active",
      // No Heroku token here to check members with; this file is about sign-in.
      membersCheckedAt: new Date(),
    },
    select: { id: true },
  });
  return { tenantId: tenant.id, resourceId };
}

/** A victim: a real Ebbflow user, owner of a direct app. */
async function victimWithApp() {
  const suffix = randomUUID().slice(0, 8);
  const user = await db.user.create({ data: { email: `victim-${suffix}@example.com`, herokuUserId: randomUUID() }, select: { id: true, email: true } });
  const tenant = await db.tenant.create({
    data: { channel: "direct", appName: `victim-${suffix}`, herokuAppId: randomUUID(), plan: "hobby", state: "active", membersCheckedAt: new Date() },
    select: { id: true },
  });
  await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
  return { userId: user.id, email: user.email, tenantId: tenant.id };
}

function fields(input: { resourceId: string; email: string; userId: string; timestamp?: string }) {
  const timestamp = input.timestamp ?? String(nowSeconds());
  const tokens = computeSsoTokens({ resourceId: input.resourceId, salt: env().HEROKU_SSO_SALT, timestamp, userId: input.userId, email: input.email });
  return {
    all: {
      resource_id: input.resourceId,
      id: input.resourceId,
      timestamp,
      resource_token: tokens.resource_token,
      user_scoped_resource_token: tokens.user_scoped_resource_token,
      token: tokens.token,
      user_id: input.userId,
      email: input.email,
      app: "some-app",
    },
    tokens,
    timestamp,
  };
}

function post(form: Record<string, string>): Promise<Response> {
  return ssoPost(
    new NextRequest("http://localhost:3000/heroku/sso", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    }),
    noParams,
  );
}

async function sessionOf(response: Response): Promise<SessionClaims | null> {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${sessionCookieName()}=`));
  if (!cookie) return null;
  return decodeSession(decodeURIComponent(cookie.split(";")[0]!.slice(sessionCookieName().length + 1)));
}

async function tenantsOf(userId: string): Promise<string[]> {
  const rows = await db.membership.findMany({ where: { userId }, select: { tenantId: true } });
  return rows.map((row) => row.tenantId);
}

describe("SSO with a resource-only token (finding 1)", () => {
  it("never signs in as the existing user the form names", async () => {
    const victim = await victimWithApp();
    const attacker = await addonTenant();
    const { all } = fields({ resourceId: attacker.resourceId, email: victim.email, userId: randomUUID() });
    const { user_scoped_resource_token: _dropped, ...resourceOnly } = all;
    const response = await post(resourceOnly);
    if (response.status === 303) {
      const session = await sessionOf(response);
      expect(session).not.toBeNull();
      expect(session!.sub).not.toBe(victim.userId);
      // The session reaches the attacker's own add-on only.
      expect(await tenantsOf(session!.sub)).toEqual([attacker.tenantId]);
    } else {
      expect(response.status).toBe(403);
    }
    // The victim gained no membership in the attacker's tenant and kept only their own.
    expect(await tenantsOf(victim.userId)).toEqual([victim.tenantId]);
  });

  it("does the same for the legacy token on the legacy GET, with a wrong-case email", async () => {
    const victim = await victimWithApp();
    const attacker = await addonTenant();
    const { all } = fields({ resourceId: attacker.resourceId, email: victim.email.toUpperCase(), userId: randomUUID() });
    const legacy = { id: all.id, token: all.token, timestamp: all.timestamp, email: all.email };
    const response = await ssoGet(new NextRequest(`http://localhost:3000/heroku/sso?${new URLSearchParams(legacy)}`), noParams);
    const session = response.status === 303 ? await sessionOf(response) : null;
    if (session) expect(session.sub).not.toBe(victim.userId);
    expect(await tenantsOf(victim.userId)).toEqual([victim.tenantId]);
  });

  it("gives one session per genuine form, however its tokens are split up", async () => {
    const tenant = await addonTenant();
    const userId = randomUUID();
    const { all } = fields({ resourceId: tenant.resourceId, email: `one-${userId.slice(0, 8)}@example.com`, userId });
    const { user_scoped_resource_token: _dropped, ...resourceOnly } = all;
    const first = await post(all);
    expect(first.status).toBe(303);
    expect((await post(all)).status).toBe(403);
    expect((await post(resourceOnly)).status).toBe(403);
    const { resource_token: _r, ...legacyOnly } = resourceOnly;
    expect((await post(legacyOnly)).status).toBe(403);
  });

  it("refuses a user-scoped token forged for another user or email, and timestamps out of range", async () => {
    const tenant = await addonTenant();
    const userId = randomUUID();
    const email = `real-${userId.slice(0, 8)}@example.com`;
    const { all } = fields({ resourceId: tenant.resourceId, email, userId });
    expect((await post({ ...all, email: `other-${email}` })).status).toBe(403);
    expect((await post({ ...all, email: email.toUpperCase() })).status).toBe(403);
    expect((await post({ ...all, user_id: randomUUID() })).status).toBe(403);
    expect((await post({ ...all, user_scoped_resource_token: "0".repeat(64) })).status).toBe(403);
    for (const timestamp of [String(nowSeconds() - 301), String(nowSeconds() + 3600), "9".repeat(40), "-1", "1e3", ""]) {
      const stale = fields({ resourceId: tenant.resourceId, email, userId, timestamp });
      const status = (await post(stale.all)).status;
      expect(status, `timestamp ${timestamp}`).toBeGreaterThanOrEqual(400);
      expect(status, `timestamp ${timestamp}`).toBeLessThan(500);
    }
  });
});

describe("a resource-scoped session", () => {
  async function resourceSession() {
    const tenant = await addonTenant();
    const { all } = fields({ resourceId: tenant.resourceId, email: "anyone@example.com", userId: randomUUID() });
    const { user_scoped_resource_token: _dropped, ...resourceOnly } = all;
    const response = await post(resourceOnly);
    expect(response.status).toBe(303);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${sessionCookieName()}=`)) ?? "";
    return { tenant, cookie: decodeURIComponent(cookie.split(";")[0]!.slice(sessionCookieName().length + 1)), maxAge: /Max-Age=(\d+)/i.exec(cookie)?.[1] };
  }

  const settings = (tenantId: string) =>
    saveScaling(
      new NextRequest(`http://localhost:3000/apps/${tenantId}/settings/scaling`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ paused: false, dryRun: true }),
      }),
      { params: Promise.resolve({ tenantId }) },
    );

  it("reaches its own add-on as a member, no other tenant, and no owner action", async () => {
    const { tenant, cookie, maxAge } = await resourceSession();
    const other = await victimWithApp();
    cookieJar.token = cookie;
    expect(maxAge).toBe("600");
    expect((await settings(tenant.tenantId)).status).toBe(200);
    expect((await settings(other.tenantId)).status).toBe(404);
    const rotate = await rotateAgentToken(
      new NextRequest(`http://localhost:3000/apps/${tenant.tenantId}/sources/agent-token`, { method: "POST" }),
      { params: Promise.resolve({ tenantId: tenant.tenantId }) },
    );
    expect(rotate.status).toBe(403);
  });

  it("cannot be stretched past 10 minutes by re-issuing the cookie", async () => {
    const { tenant, cookie } = await resourceSession();
    const claims = await decodeSession(cookie);
    // The same claims re-encoded with a fresh expiry, as next-auth's session refresh would.
    cookieJar.token = await encodeSession({ ...claims!, notAfter: Math.floor(Date.now() / 1000) - 1 });
    expect((await settings(tenant.tenantId)).status).toBe(401);
    cookieJar.token = await encodeSession({ ...claims!, notAfter: undefined });
    expect((await settings(tenant.tenantId)).status).toBe(401);
  });
});

describe("users keyed by Heroku user id (finding 6)", () => {
  it("signs the same Heroku user in after their email changed, as the same user", async () => {
    const tenant = await addonTenant();
    const herokuUserId = randomUUID();
    const before = fields({ resourceId: tenant.resourceId, email: `before-${herokuUserId.slice(0, 8)}@example.com`, userId: herokuUserId });
    const first = await post(before.all);
    expect(first.status).toBe(303);
    const firstSession = await sessionOf(first);

    const after = fields({ resourceId: tenant.resourceId, email: `after-${herokuUserId.slice(0, 8)}@example.com`, userId: herokuUserId, timestamp: String(nowSeconds() + 1) });
    const second = await post(after.all);
    expect(second.status).toBe(303);
    const secondSession = await sessionOf(second);
    expect(secondSession!.sub).toBe(firstSession!.sub);
    const user = await db.user.findUniqueOrThrow({ where: { id: secondSession!.sub }, select: { email: true, herokuUserId: true } });
    expect(user).toEqual({ email: after.all.email, herokuUserId });
  });

  it("gives a new Heroku user holding a former user's email their own account", async () => {
    const victim = await victimWithApp();
    const tenant = await addonTenant();
    const newcomer = randomUUID();
    const { all } = fields({ resourceId: tenant.resourceId, email: victim.email, userId: newcomer });
    const response = await post(all);
    expect(response.status).toBe(303);
    const session = await sessionOf(response);
    expect(session!.sub).not.toBe(victim.userId);
    expect(await tenantsOf(victim.userId)).toEqual([victim.tenantId]);
  });
});
