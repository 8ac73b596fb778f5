import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { beforeAll, afterAll, describe, expect, it, vi } from "vitest";
import { POST as ssoPost } from "@/app/heroku/sso/route";
import { POST as saveScaling } from "@/app/apps/[tenantId]/settings/scaling/route";
import { sessionCookieName } from "@/lib/auth/session-token";
import { unscheduleTenant } from "@/lib/checks/due-set";
import { db, disconnectDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { saveToken } from "@/lib/heroku/tokens";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";
import { checkStaleMembers, MEMBERS_CHECK_MAX_AGE_MS } from "@/lib/tenants/check-members";
import { HerokuDriver } from "@/sim/driver/heroku-driver";
import { callApi } from "@/sim/testing/sim-test-kit";
import { useCheckedSim } from "../helpers/checked-sim";

/**
 * Finding 3 of the security review: someone removed from the Heroku app keeps the dashboard.
 * Here a collaborator opens the add-on, is removed with `heroku access:remove` (the simulated
 * Platform API), and loses access on their next use once the last check is 5 minutes old; the
 * upkeep job ends the membership of someone who does not come back.
 */

const cookieJar = vi.hoisted(() => ({ token: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (cookieJar.token && name === sessionCookieName() ? { name, value: cookieJar.token } : undefined),
    has: (name: string) => Boolean(cookieJar.token) && name === sessionCookieName(),
  }),
}));

const checked = useCheckedSim();
const scheduled: string[] = [];

beforeAll(() => {
  vi.stubEnv("HEROKU_API_URL", checked.harness.sim.apiUrl);
  vi.stubEnv("HEROKU_ID_URL", checked.harness.sim.idUrl);
});

afterAll(async () => {
  for (const tenantId of scheduled) await unscheduleTenant(webRedis(), tenantId);
  vi.unstubAllEnvs();
  await disconnectWebRedis();
  await disconnectDb();
});

const context = (tenantId: string) => ({ params: Promise.resolve({ tenantId }) });

/** An app on the simulated Heroku with its owner and two collaborators, and its Ebbflow add-on. */
async function addonWithCollaborators() {
  const { sim } = checked.harness;
  const suffix = randomUUID().slice(0, 8);
  const owner = sim.createAccount({ email: `owner-${suffix}@example.com` });
  const staying = sim.createAccount({ email: `staying-${suffix}@example.com` });
  const leaving = sim.createAccount({ email: `Leaving-${suffix}@Example.com` });
  const app = await sim.createApp({ owner: owner.id, processTypes: [{ type: "worker", quantity: 0 }] });
  const ownerToken = sim.issueToken(owner.id, ["global"]);
  for (const account of [staying, leaving]) {
    const added = await callApi(sim.apiUrl, ownerToken.accessToken, "POST", `/apps/${app.name}/collaborators`, { user: account.email, silent: true });
    expect(added.status).toBe(201);
  }
  const { client } = sim.registerAddonService({ name: `ebbflow-${suffix}` });
  const addon = sim.createAddon({ app: app.id, service: `ebbflow-${suffix}`, plan: "pro" });
  // The add-on's own token, as the provision grant exchange would give it.
  const addonToken = sim.world.oauth.issueToken({
    principal: { kind: "addon", addonId: addon.id, appId: app.id, userId: owner.id },
    scopes: ["global"],
    clientId: client.id,
  });
  const tenant = await db.tenant.create({
    data: { channel: "heroku", herokuResourceId: addon.id, herokuAppId: app.id, appName: app.name, plan: "pro", state: "active" },
    select: { id: true },
  });
  scheduled.push(tenant.id);
  await saveToken(
    tenant.id,
    "addon",
    { access_token: addonToken.accessToken, refresh_token: addonToken.refreshToken, expires_in: addonToken.expiresInSeconds, user_id: addonToken.userId },
    "test",
  );
  return { sim, app, addon, owner, staying, leaving, ownerToken, tenantId: tenant.id };
}

/** Opens the add-on from Heroku as `account`; the session cookie goes into the jar. */
async function openFromHeroku(resourceId: string, appName: string, account: { id: string; email: string }): Promise<string> {
  const driver = new HerokuDriver({ addonBaseUrl: "http://localhost:3000", password: "unused", ssoSalt: env().HEROKU_SSO_SALT });
  const fields = driver.ssoFields({ resourceId, app: appName, email: account.email, userId: account.id });
  const response = await ssoPost(
    new NextRequest("http://localhost:3000/heroku/sso", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
    { params: Promise.resolve({}) },
  );
  expect(response.status).toBe(303);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${sessionCookieName()}=`)) ?? "";
  const token = decodeURIComponent(cookie.split(";")[0]!.slice(sessionCookieName().length + 1));
  cookieJar.token = token;
  return token;
}

async function changeSettings(tenantId: string, session: string): Promise<number> {
  cookieJar.token = session;
  const request = new NextRequest(`http://localhost:3000/apps/${tenantId}/settings/scaling`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ paused: false, dryRun: true }),
  });
  return (await saveScaling(request, context(tenantId))).status;
}

/** Time passes: the last members check is now older than the on-use limit. */
async function ageLastCheck(tenantId: string): Promise<void> {
  await db.tenant.update({ where: { id: tenantId }, data: { membersCheckedAt: new Date(Date.now() - MEMBERS_CHECK_MAX_AGE_MS - 1000) } });
}

async function membersOf(tenantId: string) {
  const rows = await db.membership.findMany({ where: { tenantId }, select: { role: true, user: { select: { herokuUserId: true } } } });
  return Object.fromEntries(rows.map((row) => [row.user.herokuUserId, row.role]));
}

describe("memberships follow Heroku's collaborator list", () => {
  it("takes the dashboard from a collaborator removed on Heroku, on their next use", async () => {
    const world = await addonWithCollaborators();
    const leaving = await openFromHeroku(world.addon.id, world.app.name, world.leaving);
    const owner = await openFromHeroku(world.addon.id, world.app.name, world.owner);
    expect(await changeSettings(world.tenantId, leaving)).toBe(200);
    expect(await changeSettings(world.tenantId, owner)).toBe(200);
    // The app's owner on Heroku is the add-on's owner in Ebbflow; a collaborator is a member.
    expect(await membersOf(world.tenantId)).toEqual({ [world.owner.id]: "owner", [world.leaving.id]: "member" });

    const removed = await callApi(world.sim.apiUrl, world.ownerToken.accessToken, "DELETE", `/apps/${world.app.name}/collaborators/${world.leaving.email}`);
    expect(removed.status).toBe(200);
    await ageLastCheck(world.tenantId);

    expect(await changeSettings(world.tenantId, leaving)).toBe(404);
    expect(await changeSettings(world.tenantId, owner)).toBe(200);
    expect(await membersOf(world.tenantId)).toEqual({ [world.owner.id]: "owner" });
    expect(await db.auditLog.count({ where: { tenantId: world.tenantId, action: "membership.ended" } })).toBe(1);
    // Opening the add-on again from Heroku is refused by Heroku itself; a replayed old form is refused by Ebbflow.
  });

  it("ends the membership of a removed collaborator who never comes back, in the upkeep job", async () => {
    const world = await addonWithCollaborators();
    await openFromHeroku(world.addon.id, world.app.name, world.staying);
    await openFromHeroku(world.addon.id, world.app.name, world.leaving);
    await db.tenant.update({ where: { id: world.tenantId }, data: { membersCheckedAt: new Date() } });
    world.sim.world.removeCollaborator(world.app.id, world.leaving.id);

    // Within the on-use limit nothing is asked of Heroku; 10 minutes on, the job has checked.
    expect(await checkStaleMembers(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(0);
    expect(Object.keys(await membersOf(world.tenantId)).sort()).toEqual([world.leaving.id, world.staying.id].sort());
    await checkStaleMembers(new Date(Date.now() + 10 * 60_000), 10_000);
    expect(await membersOf(world.tenantId)).toEqual({ [world.staying.id]: "member" });
  });
});
