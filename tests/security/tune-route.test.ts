import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it, vi } from "vitest";
import { POST as tune } from "@/app/apps/[tenantId]/rules/tune/route";
import { encodeSession, sessionCookieName } from "@/lib/auth/session-token";
import { db, disconnectDb } from "@/lib/db/client";
import { disconnectWebRedis } from "@/lib/redis/connection";
import { TUNE_MAX_BODY_BYTES, type TuneResult } from "@/lib/tuning/tune-from-history";

/**
 * POST /apps/{id}/rules/tune reads an app's recorded samples: it must answer only a member of
 * that app (another tenant's id is 404, as if it did not exist), take only a small JSON body
 * that the engine's schema accepts (4xx naming the field, never a 500), and read only the
 * app's own samples.
 */
const cookieJar = vi.hoisted(() => ({ token: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (cookieJar.token && name === sessionCookieName() ? { name, value: cookieJar.token } : undefined),
    has: (name: string) => Boolean(cookieJar.token) && name === sessionCookieName(),
  }),
}));

const created: string[] = [];
afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: created } } });
  await disconnectWebRedis();
  await disconnectDb();
});

const context = (tenantId: string) => ({ params: Promise.resolve({ tenantId }) });
const rule = { processType: "worker", maxQuantity: 4, concurrencyPerDyno: 2 };

function post(tenantId: string, body: BodyInit, contentType = "application/json"): Promise<Response> {
  const request = new NextRequest(new URL(`/apps/${tenantId}/rules/tune`, "http://localhost:3000"), { method: "POST", headers: { "content-type": contentType }, body });
  return tune(request, context(tenantId));
}

async function appWithMembers() {
  const suffix = randomUUID().slice(0, 8);
  const tenant = await db.tenant.create({
    data: { channel: "direct", appName: `tune-${suffix}`, herokuAppId: randomUUID(), plan: "standard", state: "active", membersCheckedAt: new Date() },
    select: { id: true },
  });
  created.push(tenant.id);
  const owner = await db.user.create({ data: { email: `owner-${suffix}@example.com`, herokuUserId: randomUUID() }, select: { id: true, email: true } });
  const member = await db.user.create({ data: { email: `member-${suffix}@example.com`, herokuUserId: randomUUID() }, select: { id: true, email: true } });
  await db.membership.createMany({ data: [{ tenantId: tenant.id, userId: owner.id, role: "owner" }, { tenantId: tenant.id, userId: member.id, role: "member" }] });
  return { id: tenant.id, owner, member };
}

async function signIn(account: { id: string; email: string } | null) {
  cookieJar.token = account ? await encodeSession({ sub: account.id, email: account.email, via: "heroku" }) : "";
}

/** Two hours of 10 s checks of `processType`: a burst of 30 jobs every 10 minutes. */
async function recordSamples(tenantId: string, processType = "worker") {
  const now = Date.now();
  const data = [];
  for (let t = 7200; t > 0; t -= 10) {
    const sinceBurst = (7200 - t) % 600;
    const depth = Math.max(0, 30 - sinceBurst);
    data.push({ tenantId, processType, resolution: "raw" as const, sampledAt: new Date(now - t * 1000), depth, busy: depth > 0 ? 4 : 0, dynos: 2 });
  }
  await db.metricSample.createMany({ data });
}

describe("POST /apps/{id}/rules/tune", () => {
  it("answers 401 without a session and 404 for another tenant's app, a made-up id or a malformed one", async () => {
    const mine = await appWithMembers();
    const theirs = await appWithMembers();
    await recordSamples(theirs.id);
    await signIn(null);
    expect((await post(mine.id, JSON.stringify({ rule }))).status).toBe(401);
    await signIn(mine.owner);
    for (const id of [theirs.id, randomUUID(), "not-a-uuid", "../../etc"]) {
      const response = await post(id, JSON.stringify({ rule }));
      expect(response.status, id).toBe(404);
      expect(await response.text()).not.toContain("worker");
    }
  });

  it("lets a member tune (as preview and save do), reading only the app's own samples", async () => {
    const mine = await appWithMembers();
    const theirs = await appWithMembers();
    await recordSamples(theirs.id);
    await signIn(mine.member);
    const empty = await post(mine.id, JSON.stringify({ rule }));
    expect(empty.status).toBe(200);
    const none = (await empty.json()) as TuneResult;
    expect(none.proposal).toBeNull();
    expect(none.history.samples).toBe(0);
    expect(none.message).toContain("No recorded checks of worker");

    await recordSamples(mine.id);
    const answered = (await (await post(mine.id, JSON.stringify({ rule, dynoSize: "standard-2x" }))).json()) as TuneResult;
    expect(answered.history.rawSamples).toBe(720);
    expect(answered.proposal?.current.monthlyDollars).toBeGreaterThan(0);
    expect(answered.proposal?.rule.processType).toBe("worker");
    expect(answered.proposal?.rule.dynoSize).toBe("standard-2x");
  });

  it("refuses malformed bodies with a 4xx naming the field, never a 500", async () => {
    const app = await appWithMembers();
    await signIn(app.owner);
    const cases: [BodyInit, string, number, string | null][] = [
      ["{not json", "application/json", 400, null],
      [JSON.stringify({ rule }), "text/plain", 415, null],
      [JSON.stringify({}), "application/json", 422, "rule"],
      [JSON.stringify({ rule: "worker" }), "application/json", 422, "rule"],
      [JSON.stringify({ rule: { ...rule, maxQuantity: -1 } }), "application/json", 422, "rule.maxQuantity"],
      [JSON.stringify({ rule: { ...rule, processType: "../x" } }), "application/json", 422, "rule.processType"],
      [JSON.stringify({ rule: { ...rule, waitTargetSeconds: 0 } }), "application/json", 422, "rule.waitTargetSeconds"],
      [JSON.stringify({ rule: { processType: "web", kind: "web", minQuantity: 1 } }), "application/json", 422, "rule.kind"],
      [JSON.stringify({ rule, dynoSize: "gigantic-9x" }), "application/json", 422, "dynoSize"],
      [JSON.stringify({ rule, dynoSize: 7 }), "application/json", 422, "dynoSize"],
      [JSON.stringify([rule]), "application/json", 422, null],
      ["null", "application/json", 422, null],
    ];
    for (const [body, contentType, status, field] of cases) {
      const response = await post(app.id, body, contentType);
      expect(response.status, String(body)).toBe(status);
      const answer = (await response.json()) as { error: { issues?: { path: string }[] } };
      if (field) expect(answer.error.issues?.map((issue) => issue.path), String(body)).toContain(field);
    }
  });

  it("allows an app 10 tunings a minute, then answers 429 with Retry-After", async () => {
    const app = await appWithMembers();
    await signIn(app.member);
    for (let i = 0; i < 10; i += 1) expect((await post(app.id, JSON.stringify({ rule }))).status).toBe(200);
    const limited = await post(app.id, JSON.stringify({ rule }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses a huge body with 413 without reading it all", async () => {
    const app = await appWithMembers();
    await signIn(app.owner);
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 64 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    // Node needs `duplex: "half"` to send a streamed body; the DOM typings do not know it yet.
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" as const };
    const request = new NextRequest(new URL(`/apps/${app.id}/rules/tune`, "http://localhost:3000"), init);
    const response = await tune(request, context(app.id));
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(TUNE_MAX_BODY_BYTES + 2 * chunk.byteLength);

    // Within the cap but far past any real rule: 50 schedule windows is the schema's limit.
    const windows = Array.from({ length: 51 }, () => ({ days: ["mon"], start: "09:00", end: "17:00", timeZone: "UTC", minQuantity: 1 }));
    const tooMany = await post(app.id, JSON.stringify({ rule: { ...rule, schedules: windows } }));
    expect(tooMany.status).toBe(422);
    expect(((await tooMany.json()) as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toContain("rule.schedules");
  });
});
