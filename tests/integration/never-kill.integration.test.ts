import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RealClock } from "@/sim/clock";
import { startSim, type Sim } from "@/sim/start-sim";

// Sim time runs 20× real time: a 60–120 s job takes 3–6 s, a 10 s Sidekiq heartbeat 0.5 s.
// The engine checks on the sim's clock, so its rules (boot, delay, idle) are in sim seconds.
const SPEED = 20;
let sim: Sim;
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });

beforeAll(async () => {
  sim = await startSim({
    port: 0,
    clock: new RealClock({ speed: SPEED }),
    bootDelaySeconds: 20,
    shutdownGraceSeconds: 30,
    heartbeatSeconds: 10,
    validateRequests: true,
  });
  process.env.HEROKU_API_URL = sim.apiUrl;
  process.env.HEROKU_ID_URL = sim.idUrl;
});

afterAll(async () => {
  await sim.close();
  await redis.quit();
  const { disconnectDb } = await import("@/lib/db/client");
  const { closeProbeConnections } = await import("@/lib/queues/probe");
  await closeProbeConnections();
  await disconnectDb();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("never killing a job", () => {
  it("scales a Sidekiq app with 60–120 s jobs between 5 and 0 over and over, quieting dynos first, and kills none", async () => {
    const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
    const { RecordWriter } = await import("@/lib/checks/record-writer");
    const { createEngineTenant, deleteNamespace } = await import("../helpers/engine-fixture");
    const { db } = await import("@/lib/db/client");
    const tenant = await createEngineTenant(sim, {
      quiet: true,
      concurrency: 2,
      rule: {
        minQuantity: 0,
        maxQuantity: 5,
        concurrencyPerDyno: 2,
        metric: "depth",
        bootSeconds: 20,
        downscale: { delaySeconds: 20 },
        scaleToZero: { idleSeconds: 20, keepWarmAfterStarts: 0 },
        prewarm: { growth: false },
        drainLimitSeconds: 900,
      },
    });
    const writer = new RecordWriter();
    const now = () => sim.clock.now();
    const quantity = () => sim.appStats(tenant.appName).formation.worker?.quantity ?? 0;
    const check = () => runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: now() }], { redis, writer, now });
    const jobSeconds = () => 60 + Math.floor(Math.random() * 61);
    try {
      let reachedFive = 0;
      let reachedZero = 0;
      for (let cycle = 0; cycle < 3; cycle += 1) {
        for (let i = 0; i < 10; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: jobSeconds() });
        let lateJobs = 0;
        let sawFive = false;
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          await check();
          if (quantity() === 5) sawFive = true;
          // Work that arrives while the engine is bringing dynos down: the window in which a
          // plain formation update kills jobs.
          if (sawFive && quantity() < 5 && lateJobs < 3) {
            await sim.enqueue(tenant.appName, { durationSeconds: jobSeconds() });
            lateJobs += 1;
          }
          const stats = sim.appStats(tenant.appName);
          if (sawFive && lateJobs === 3 && quantity() === 0 && stats.dynos.stopping === 0 && stats.busy === 0) break;
          await sleep(100); // 2 s of sim time: the pro plan's check interval
        }
        if (sawFive) reachedFive += 1;
        if (quantity() === 0) reachedZero += 1;
      }
      const stats = sim.appStats(tenant.appName);
      expect(reachedFive).toBe(3);
      expect(reachedZero).toBe(3);
      expect(stats.jobs.completed).toBe(39);
      expect(stats.jobs.killed).toBe(0);
      const reasons = (await db.scaleEvent.findMany({ where: { tenantId: tenant.tenantId }, select: { reason: true } })).map((e) => e.reason);
      expect(reasons.some((r) => /quiet idle dyno/.test(r))).toBe(true);
    } finally {
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  }, 300_000);
  it("drains a burst of 500 jobs in one-off dynos that exit by themselves, never more than Heroku's limit at once", async () => {
    const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
    const { RecordWriter } = await import("@/lib/checks/record-writer");
    const { createEngineTenant, deleteNamespace } = await import("../helpers/engine-fixture");
    const { db } = await import("@/lib/db/client");
    // Performance dynos: Heroku runs at most 5 one-off dynos of them at once per app.
    const tenant = await createEngineTenant(sim, {
      size: "performance-l",
      concurrency: 10,
      rule: {
        minQuantity: 0,
        maxQuantity: 50,
        concurrencyPerDyno: 10,
        bootSeconds: 20,
        mode: "one-off",
        oneOff: { command: "rq worker --burst", size: "performance-l", timeToLiveSeconds: 3600 },
      },
    });
    const writer = new RecordWriter();
    const now = () => sim.clock.now();
    const check = () => runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: now() }], { redis, writer, now });
    try {
      for (let i = 0; i < 500; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: 10 + (i % 21) });
      let peakSeen = 0;
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        await check();
        const stats = sim.appStats(tenant.appName);
        peakSeen = Math.max(peakSeen, stats.oneOff.running);
        if (stats.jobs.completed === 500 && stats.oneOff.running === 0) break;
        await sleep(100);
      }
      await check(); // sees the last exits
      const stats = sim.appStats(tenant.appName);
      expect(stats.jobs.completed).toBe(500);
      expect(stats.jobs.killed).toBe(0);
      expect(stats.formation.worker?.quantity).toBe(0);
      expect(stats.oneOff.running).toBe(0);
      expect(stats.oneOff.peak).toBe(5);
      expect(peakSeen).toBeLessThanOrEqual(5);
      expect(stats.oneOff.expired).toBe(0);
      expect(stats.oneOff.exited).toBe(stats.oneOff.started);
      const reasons = (await db.scaleEvent.findMany({ where: { tenantId: tenant.tenantId }, select: { reason: true } })).map((e) => e.reason);
      expect(reasons.filter((r) => /^run\.\d+ started: /.test(r))).toHaveLength(stats.oneOff.started);
      expect(reasons.filter((r) => /^run\.\d+ exited/.test(r))).toHaveLength(stats.oneOff.exited);
      expect(reasons.some((r) => /Heroku's limit of 5 one-off performance-l dynos at once binds/.test(r))).toBe(true);
    } finally {
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  }, 300_000);
});
