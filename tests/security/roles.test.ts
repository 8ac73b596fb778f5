import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it, vi } from "vitest";
import { POST as disconnect } from "@/app/apps/[tenantId]/settings/disconnect/route";
import { POST as rotateAgentToken } from "@/app/apps/[tenantId]/sources/agent-token/route";
import { POST as checkout } from "@/app/apps/[tenantId]/billing/checkout/route";
import { POST as portal } from "@/app/apps/[tenantId]/billing/portal/route";
import { POST as saveScaling } from "@/app/apps/[tenantId]/settings/scaling/route";
import { encodeSession, sessionCookieName } from "@/lib/auth/session-token";
import { DUE_KEY, scheduleTenant } from "@/lib/checks/due-set";
import { seal } from "@/lib/crypto";
import { db, disconnectDb } from "@/lib/db/client";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";
import { deprovisionTenant } from "@/lib/tenants/deprovision-tenant";

/** Finding 9 of the security review: destructive and billing actions are the owner's. */

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

const context = (tenantId: string) => ({ params: Promise.resolve({ tenantId }) });

function jsonPost(path: string, body: unknown): NextRequest {
  return new NextRequest(new URL(path, "http://localhost:3000"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function formPost(path: string, fields: Record<string, string>): NextRequest {
  return new NextRequest(new URL(path, "http://localhost:3000"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

async function user(label: string) {
  return db.user.create({ data: { email: `${label}-${randomUUID().slice(0, 8)}@example.com`, herokuUserId: randomUUID() }, select: { id: true, email: true } });
}

async function signIn(account: { id: string; email: string }) {
  cookieJar.token = await encodeSession({ sub: account.id, email: account.email, via: "heroku" });
}

/** A direct app with an owner and a member, each a real user; the agent token set. */
async function directApp() {
  const suffix = randomUUID().slice(0, 8);
  const tenant = await db.tenant.create({
    data: { channel: "direct", appName: `roles-${suffix}`, herokuAppId: randomUUID(), plan: "hobby", state: "active", agentTokenHash: `hash-${suffix}`, membersCheckedAt: new Date() },
    select: { id: true, appName: true },
  });
  const owner = await user("owner");
  const member = await user("member");
  await db.membership.createMany({ data: [{ tenantId: tenant.id, userId: owner.id, role: "owner" }, { tenantId: tenant.id, userId: member.id, role: "member" }] });
  return { ...tenant, owner, member };
}

describe("owner-only actions", () => {
  it("refuses a member the destructive and billing actions with 403, and changes nothing", async () => {
    const app = await directApp();
    await signIn(app.member);
    const path = `/apps/${app.id}`;
    expect((await disconnect(jsonPost(`${path}/settings/disconnect`, { confirmAppName: app.appName }), context(app.id))).status).toBe(403);
    expect((await rotateAgentToken(jsonPost(`${path}/sources/agent-token`, {}), context(app.id))).status).toBe(403);
    expect((await checkout(formPost(`${path}/billing/checkout`, { plan: "standard" }), context(app.id))).status).toBe(403);
    expect((await portal(formPost(`${path}/billing/portal`, {}), context(app.id))).status).toBe(403);
    const after = await db.tenant.findUniqueOrThrow({ where: { id: app.id }, select: { state: true, agentTokenHash: true } });
    expect(after).toEqual({ state: "active", agentTokenHash: `hash-${app.appName.slice(6)}` });
  });

  it("lets a member change everyday settings", async () => {
    const app = await directApp();
    await signIn(app.member);
    const response = await saveScaling(jsonPost(`/apps/${app.id}/settings/scaling`, { paused: true, dryRun: false }), context(app.id));
    expect(response.status).toBeLessThan(300);
  });

  it("lets the owner rotate the agent token and disconnect", async () => {
    const app = await directApp();
    await signIn(app.owner);
    expect((await rotateAgentToken(jsonPost(`/apps/${app.id}/sources/agent-token`, {}), context(app.id))).status).toBe(200);
    expect((await disconnect(jsonPost(`/apps/${app.id}/settings/disconnect`, { confirmAppName: app.appName }), context(app.id))).status).toBe(200);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: app.id }, select: { state: true } })).state).toBe("deprovisioned");
  });

  it("answers 404 to the owner of another tenant, for every owner action", async () => {
    const mine = await directApp();
    const theirs = await directApp();
    await signIn(mine.owner);
    const path = `/apps/${theirs.id}`;
    expect((await disconnect(jsonPost(`${path}/settings/disconnect`, { confirmAppName: theirs.appName }), context(theirs.id))).status).toBe(404);
    expect((await rotateAgentToken(jsonPost(`${path}/sources/agent-token`, {}), context(theirs.id))).status).toBe(404);
    expect((await portal(formPost(`${path}/billing/portal`, {}), context(theirs.id))).status).toBe(404);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: theirs.id }, select: { state: true } })).state).toBe("active");
  });
});

describe("one way to end a tenant", () => {
  async function endedState(tenantId: string) {
    const tenant = await db.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      select: { state: true, agentTokenHash: true, agentTokenSealed: true, oauthGrantSealed: true, purgeAfter: true },
    });
    const tokens = await db.herokuToken.findMany({ where: { tenantId }, select: { revokedAt: true, accessTokenSealed: true } });
    const scheduled = await webRedis().zscore(DUE_KEY, tenantId);
    return {
      state: tenant.state,
      agentToken: tenant.agentTokenHash ?? tenant.agentTokenSealed,
      grant: tenant.oauthGrantSealed,
      purgeKept: tenant.purgeAfter !== null,
      tokensLive: tokens.filter((token) => token.revokedAt === null || token.accessTokenSealed !== "").length,
      scheduled,
    };
  }

  async function withEverything(channel: "direct" | "heroku") {
    const suffix = randomUUID().slice(0, 8);
    const tenant = await db.tenant.create({
      data: {
        channel,
        appName: `end-${suffix}`,
        herokuAppId: randomUUID(),
        herokuResourceId: channel === "heroku" ? randomUUID() : null,
        plan: "hobby",
        state: "active",
        agentTokenHash: `hash-${suffix}`,
        agentTokenSealed: seal("agent").value,
        oauthGrantSealed: seal("grant").value,
        // Members were just checked against Heroku: this test is not about that, and asks no Heroku.
        membersCheckedAt: new Date(),
        tokens: { create: { kind: "scaling", accessTokenSealed: seal("a").value, refreshTokenSealed: seal("r").value, keyId: "k", expiresAt: new Date(Date.now() + 3_600_000) } },
      },
      select: { id: true, appName: true, herokuResourceId: true },
    });
    await scheduleTenant(webRedis(), tenant.id, 60_000, Date.now());
    return tenant;
  }

  it("leaves a disconnected app exactly as a deprovisioned add-on", async () => {
    const direct = await withEverything("direct");
    const owner = await user("owner");
    await db.membership.create({ data: { tenantId: direct.id, userId: owner.id, role: "owner" } });
    await signIn(owner);
    expect((await disconnect(jsonPost(`/apps/${direct.id}/settings/disconnect`, { confirmAppName: direct.appName }), context(direct.id))).status).toBe(200);

    const addon = await withEverything("heroku");
    await deprovisionTenant(addon.herokuResourceId!);

    const expected = { state: "deprovisioned", agentToken: null, grant: null, purgeKept: true, tokensLive: 0, scheduled: null };
    expect(await endedState(direct.id)).toEqual(expected);
    expect(await endedState(addon.id)).toEqual(expected);
  });
});
