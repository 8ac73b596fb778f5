import { randomBytes, randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type Sim } from "@/sim/start-sim";
import { closeAppConnections } from "../helpers/app-connections";

/**
 * Web dynos end to end, short of a real router: agents' web reports go through
 * POST /api/v1/reports for a tenant whose app runs in the simulated Heroku, and the check
 * scales the `web` formation on them, up on queue time, back down to min, never below what
 * the throughput needs.
 */
let sim: Sim;
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  sim = await startSim({ port: 0, bootDelaySeconds: 1, shutdownGraceSeconds: 1, validateRequests: true });
  process.env.HEROKU_API_URL = sim.apiUrl;
  process.env.HEROKU_ID_URL = sim.idUrl;
});

afterAll(async () => {
  await sim.close();
  await redis.quit();
  await closeAppConnections();
});

async function modules() {
  const { POST } = await import("@/app/api/v1/reports/route");
  const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
  const { RecordWriter } = await import("@/lib/checks/record-writer");
  const { createEngineTenant } = await import("../helpers/engine-fixture");
  const { readWebWindows } = await import("@/lib/queues/web-reports");
  const { db } = await import("@/lib/db/client");
  return { POST, runCheckBatch, RecordWriter, createEngineTenant, readWebWindows, db };
}

type Post = Awaited<ReturnType<typeof modules>>["POST"];

function report(post: Post, token: string, body: unknown): Promise<Response> {
  const request = new NextRequest("http://localhost/api/v1/reports", {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  });
  return post(request, { params: Promise.resolve({}) });
}

/** One dyno's protocol 2 web report: `requests` in 10 s with the given p95 (p50 a fifth, p99 1.5×). */
function webReport(dyno: string, requests: number, p95: number, meanServiceMs = 50) {
  return {
    protocol: 2,
    process_type: "web",
    queues: [],
    dynos: [{ name: dyno, quiet: false, busy: 0 }],
    web: { window_seconds: 10, requests, ...(requests > 0 ? { queue_time_ms: { p50: p95 / 5, p95, p99: p95 * 1.5 } } : {}), mean_service_ms: meanServiceMs },
  };
}

describe("web dynos on request queue time", () => {
  it("scales web up on queue time, then back down to min, never below the throughput floor", async () => {
    const { POST, runCheckBatch, RecordWriter, createEngineTenant, db } = await modules();
    const token = randomBytes(32).toString("base64url");
    const tenant = await createEngineTenant(sim, {
      processType: "web",
      quantity: 1,
      agentToken: token,
      rule: {
        kind: "web",
        minQuantity: 1,
        maxQuantity: 4,
        web: { windowSeconds: 10, upscaleThresholdMs: 200, downscaleThresholdMs: 50, maxStep: 2, upscaleCooldownSeconds: 0, downscaleCooldownSeconds: 0, targetUtilisation: 0.5 },
      },
    });
    const writer = new RecordWriter();
    const webDynos = () => sim.appStats(tenant.appName).formation.web?.quantity ?? 0;
    const check = async () => {
      const [result] = await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      return result?.decisions.find((d) => d.processType === "web");
    };
    try {
      // Requests wait 800 ms at the router: p95 four times the 200 ms threshold.
      const first = await report(POST, token, webReport("web.1", 100, 800));
      expect(first.status).toBe(202);
      expect(await first.json()).toMatchObject({ received: true, process_type: "web", check_triggered: true, instructions: { quiet: [] } });

      const up = await check();
      expect(up?.reason).toBe("web 1 → 3: p95 queue time 800 ms > 200 ms over 10 s; 3 more dynos wanted, at most 2 a decision; 600 requests/min");
      expect(webDynos()).toBe(3);
      // The next upscale waits for a report from after this one: the old one shows the queue it was for.
      expect((await check())?.reason).toContain("waiting for a report from after the last upscale");
      expect((await report(POST, token, webReport("web.2", 100, 800))).status).toBe(202);
      await check();
      expect(webDynos()).toBe(4); // 3 + 2, capped at max 4

      // Queues gone; 4 dynos each serve 5 requests/s of 50 ms: 1 busy dyno, 2 at 50 % utilisation.
      await sleep(10_500); // the 800 ms windows leave the 10 s window
      for (const dyno of ["web.1", "web.2", "web.3", "web.4"]) expect((await report(POST, token, webReport(dyno, 50, 8))).status).toBe(202);
      const seen: number[] = [];
      let last;
      for (let i = 0; i < 4; i += 1) {
        last = await check();
        seen.push(webDynos());
      }
      expect(seen).toEqual([3, 2, 2, 2]);
      expect(last?.reason).toBe("web holds at 2: p95 queue time 8 ms < 50 ms over 10 s; throughput needs 2 dynos (1 200 requests/min × 50 ms at 50 % utilisation)");

      // Traffic stops: the throughput floor goes and web returns to min, and stays there.
      for (const dyno of ["web.1", "web.2"]) {
        const answer = await report(POST, token, webReport(dyno, 0, 0));
        // Web dynos are never drained: no dyno is asked to go quiet before it is removed.
        expect(await answer.json()).toMatchObject({ instructions: { quiet: [] } });
      }
      for (let i = 0; i < 3; i += 1) await check();
      expect(webDynos()).toBe(1);

      await writer.flush();
      const events = await db.scaleEvent.findMany({ where: { tenantId: tenant.tenantId }, orderBy: { id: "asc" }, select: { fromQuantity: true, toQuantity: true, outcome: true } });
      expect(events.map((e) => [e.fromQuantity, e.toQuantity, e.outcome])).toEqual([
        [1, 3, "applied"],
        [3, 4, "applied"],
        [4, 3, "applied"],
        [3, 2, "applied"],
        [2, 1, "applied"],
      ]);
      const samples = await db.metricSample.findMany({
        where: { tenantId: tenant.tenantId, processType: "web" },
        orderBy: { sampledAt: "asc" },
        select: { dynos: true, requestsPerMinute: true, queueTimeP95Ms: true, latencyMs: true },
      });
      expect(samples[0]).toMatchObject({ requestsPerMinute: 600, latencyMs: 800 });
      expect(samples[0]?.queueTimeP95Ms).toBeCloseTo(800, 6);
      expect(samples.some((s) => s.requestsPerMinute === 1200 && (s.queueTimeP95Ms ?? 0) < 10)).toBe(true);
    } finally {
      await writer.stop();
    }
  }, 60_000);

  it("keeps each tenant's reports to itself and refuses malformed web bodies, naming the field", async () => {
    const { POST, createEngineTenant, readWebWindows } = await modules();
    const tokenA = randomBytes(32).toString("base64url");
    const tokenB = randomBytes(32).toString("base64url");
    const rule = { kind: "web" as const, minQuantity: 1, maxQuantity: 2 };
    const a = await createEngineTenant(sim, { processType: "web", quantity: 1, agentToken: tokenA, plan: "standard", rule });
    const b = await createEngineTenant(sim, { processType: "web", quantity: 1, agentToken: tokenB, plan: "standard", rule });

    expect((await report(POST, tokenB, webReport("web.1", 40, 900))).status).toBe(202);
    const since = Date.now() - 60_000;
    expect(await readWebWindows(redis, a.tenantId, "web", since)).toEqual([]);
    expect(await readWebWindows(redis, b.tenantId, "web", since)).toHaveLength(1);
    expect((await report(POST, randomBytes(32).toString("base64url"), webReport("web.1", 40, 900))).status).toBe(401);

    const refused = async (web: unknown, field: RegExp) => {
      const response = await report(POST, tokenA, { ...webReport("web.1", 1, 1), web });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { message: string }).message).toMatch(field);
    };
    await refused({ window_seconds: 10, requests: -1 }, /^web\.requests: /);
    await refused({ window_seconds: 0, requests: 1, queue_time_ms: { p50: 1, p95: 2, p99: 3 } }, /^web\.window_seconds: /);
    await refused({ window_seconds: 10, requests: 5 }, /^web\.queue_time_ms: queue_time_ms is required when requests is above 0/);
    await refused({ window_seconds: 10, requests: 5, queue_time_ms: { p50: 9, p95: 2, p99: 3 } }, /^web\.queue_time_ms: percentiles must not decrease/);
    await refused({ window_seconds: 10, requests: 5, queue_time_ms: { p50: 1, p95: "2", p99: 3 } }, /^web\.queue_time_ms\.p95: /);
    await refused("fast", /^web: /);
    expect((await report(POST, tokenA, "{not json")).status).toBe(400);
    expect(await readWebWindows(redis, a.tenantId, "web", since)).toEqual([]);
  });

  it("keeps at most the newest windows a whole app sends over the longest rule window", async () => {
    const { storeWebReport, readWebWindows, webReportsKey, WEB_REPORTS_KEPT } = await import("@/lib/queues/web-reports");
    const tenantId = randomUUID();
    const startMs = Date.now() - 300_000;
    for (let i = 0; i < WEB_REPORTS_KEPT + 5; i += 1) {
      await storeWebReport(redis, tenantId, "web", `web.${(i % 100) + 1}`, { window_seconds: 10, requests: i, queue_time_ms: { p50: 1, p95: 2, p99: 3 } }, startMs + i * 10);
    }
    expect(await redis.zcard(webReportsKey(tenantId, "web"))).toBe(WEB_REPORTS_KEPT);
    const kept = await readWebWindows(redis, tenantId, "web", 0);
    expect(kept[0]?.requests).toBe(5);
    expect(kept.at(-1)).toMatchObject({ dyno: "web.5", requests: WEB_REPORTS_KEPT + 4, queueTimeMs: { p50: 1, p95: 2, p99: 3 }, meanServiceMs: null });
    // Windows older than the longest rule window go, whatever their number.
    await storeWebReport(redis, tenantId, "web", "web.1", { window_seconds: 10, requests: 1, queue_time_ms: { p50: 1, p95: 2, p99: 3 } }, startMs + 725_000);
    expect(await readWebWindows(redis, tenantId, "web", 0)).toHaveLength(1);
    await redis.del(webReportsKey(tenantId, "web"));
  });
});
