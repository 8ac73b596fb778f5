import { randomBytes, randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/reports/route";
import { db, disconnectDb } from "@/lib/db/client";
import { hashAgentToken } from "@/lib/queues/agent-token";
import { listReportedDynos, readReport, reportDynosKey, REPORTS_PER_WINDOW, REPORT_WINDOW_SECONDS, reportKey, storeReport } from "@/lib/queues/push";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";

/** The push route against the test database and Redis, with a tenant of its own. */
const token = randomBytes(32).toString("base64url");
let tenantId = "";

function post(body: string, authorization: string | null = `Bearer ${token}`): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json" });
  if (authorization) headers.set("authorization", authorization);
  const request = new NextRequest("http://localhost/api/v1/reports", { method: "POST", body, headers });
  return POST(request, { params: Promise.resolve({}) });
}

beforeAll(async () => {
  const tenant = await db.tenant.create({
    data: { channel: "heroku", appName: `push-test-${randomUUID().slice(0, 8)}`, plan: "pro", state: "active", agentTokenHash: hashAgentToken(token) },
    select: { id: true },
  });
  tenantId = tenant.id;
});

afterAll(async () => {
  const redis = webRedis();
  await redis.del(reportKey(tenantId, "worker"), reportKey(tenantId, "urgent"), reportKey(tenantId, "drain"), reportDynosKey(tenantId, "drain"));
  for await (const keys of redis.scanStream({ match: `ebbflow:ratelimit:reports:${tenantId}:*` })) {
    if ((keys as string[]).length) await redis.del(...(keys as string[]));
  }
  await db.tenant.delete({ where: { id: tenantId } });
  await disconnectWebRedis();
  await disconnectDb();
});

describe("POST /api/v1/reports", () => {
  it("stores a report that the scheduler reads back as a probe result", async () => {
    const response = await post(JSON.stringify({ queues: [{ name: "default", depth: 12, latency_ms: 3400, busy: 2 }, { name: "low", depth: 1 }] }));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ received: true, process_type: "worker", total_depth: 13, max_latency_ms: 3400 });
    const stored = await readReport(webRedis(), tenantId, "worker", 10);
    expect(stored?.result).toMatchObject({ backend: "push", totalDepth: 13, maxLatencyMs: 3400, busy: null });
    expect(stored?.result.queues[0]).toEqual({ name: "default", depth: 12, latencyMs: 3400, busy: 2 });
    expect(await webRedis().ttl(reportKey(tenantId, "worker"))).toBeGreaterThan(100);
  });

  it("counts a report older than three intervals as missing", async () => {
    const now = Date.now();
    await storeReport(webRedis(), tenantId, { process_type: "urgent", queues: [{ name: "q", depth: 1 }] }, now - 31_000);
    expect(await readReport(webRedis(), tenantId, "urgent", 10, now)).toBeNull();
    expect(await readReport(webRedis(), tenantId, "urgent", 60, now)).not.toBeNull();
  });

  it("keeps every dyno's own quiet report: each agent reports only its dyno, and a stale dyno drops out", async () => {
    const now = Date.now();
    const report = (dyno: string, quiet: boolean, busy: number) => ({
      protocol: 2 as const,
      process_type: "drain",
      queues: [{ name: "default", depth: 0 }],
      dynos: [{ name: dyno, quiet, busy }],
    });
    await storeReport(webRedis(), tenantId, report("drain.1", false, 3), now - 40_000);
    await storeReport(webRedis(), tenantId, report("drain.2", false, 1), now - 2_000);
    await storeReport(webRedis(), tenantId, report("drain.3", true, 0), now - 1_000);
    const read = await readReport(webRedis(), tenantId, "drain", 10, now);
    expect(read?.dynos).toEqual([
      { name: "drain.2", quiet: false, busy: 1 },
      { name: "drain.3", quiet: true, busy: 0 },
    ]);
    // The Sources page lists every dyno with its age, the stale one too (marked "not arriving" there).
    expect((await listReportedDynos(webRedis(), tenantId, "drain", now)).map((d) => [d.name, d.ageMs])).toEqual([
      ["drain.1", 40_000],
      ["drain.2", 2_000],
      ["drain.3", 1_000],
    ]);
    // A protocol 1 report from another dyno keeps what the others said.
    await storeReport(webRedis(), tenantId, { process_type: "drain", queues: [{ name: "default", depth: 4 }] }, now);
    expect((await readReport(webRedis(), tenantId, "drain", 10, now))?.dynos).toHaveLength(2);
  });

  it("answers 401 without a token or with an unknown one", async () => {
    expect((await post("{}", null)).status).toBe(401);
    expect((await post("{}", `Bearer ${randomBytes(32).toString("base64url")}`)).status).toBe(401);
  });

  it("answers 400 for malformed JSON and 422 naming the field for a malformed report", async () => {
    expect((await post("{not json")).status).toBe(400);
    const response = await post(JSON.stringify({ queues: [{ name: "default", depth: "12" }] }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(/^queues\.0\.depth: .*expected number/i);
  });

  it("answers 429 with Retry-After once the tenant's window is used up", async () => {
    const window = Math.floor(Date.now() / 1000 / REPORT_WINDOW_SECONDS);
    const key = `ebbflow:ratelimit:reports:${tenantId}:${window}`;
    await webRedis().set(key, String(REPORTS_PER_WINDOW), "EX", REPORT_WINDOW_SECONDS);
    const response = await post(JSON.stringify({ queues: [] }));
    // The window may have rolled over between the SET and the POST; then it is a 202.
    if (response.status !== 202) {
      expect(response.status).toBe(429);
      const retryAfter = Number(response.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(REPORT_WINDOW_SECONDS);
    }
  });
});
