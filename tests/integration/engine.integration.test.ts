import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type Sim } from "@/sim/start-sim";

// The engine talks to the simulated Heroku; set before anything reads the environment.
let sim: Sim;
const apiCalls: Array<{ method: string; path: string; status: number; atMs: number }> = [];
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });

beforeAll(async () => {
  sim = await startSim({
    port: 0,
    bootDelaySeconds: 2,
    shutdownGraceSeconds: 4,
    heartbeatSeconds: 1,
    validateRequests: true,
    onApiResponse: ({ method, path, status }) => apiCalls.push({ method, path, status, atMs: Date.now() }),
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

async function engine() {
  const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
  const { RecordWriter } = await import("@/lib/checks/record-writer");
  const { createEngineTenant, deleteNamespace } = await import("../helpers/engine-fixture");
  const { db } = await import("@/lib/db/client");
  return { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace, db };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the engine against the simulated Heroku", () => {
  it("adds dynos as the queue grows and removes them as it drains, killing no job", async () => {
    const { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace, db } = await engine();
    const tenant = await createEngineTenant(sim, {
      rule: {
        minQuantity: 0,
        maxQuantity: 4,
        concurrencyPerDyno: 2,
        bootSeconds: 2,
        downscale: { delaySeconds: 3 },
        scaleToZero: { idleSeconds: 2, keepWarmAfterStarts: 0 },
      },
    });
    const writer = new RecordWriter();
    try {
      for (let i = 0; i < 16; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: 3 });
      let peak = 0;
      const deadline = Date.now() + 60_000;
      let drainedAndIdle = false;
      while (Date.now() < deadline && !drainedAndIdle) {
        await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
        const stats = sim.appStats(tenant.appName);
        const quantity = stats.formation.worker?.quantity ?? 0;
        peak = Math.max(peak, quantity);
        drainedAndIdle = stats.jobs.completed === 16 && quantity === 0 && stats.dynos.stopping === 0;
        await sleep(700);
      }
      await writer.flush();
      const stats = sim.appStats(tenant.appName);
      expect(peak).toBeGreaterThanOrEqual(3);
      expect(peak).toBeLessThanOrEqual(4);
      expect(stats.jobs.completed).toBe(16);
      expect(stats.jobs.killed).toBe(0);
      expect(stats.formation.worker?.quantity).toBe(0);

      const events = await db.scaleEvent.findMany({ where: { tenantId: tenant.tenantId }, orderBy: { id: "asc" } });
      expect(events.every((e) => e.outcome === "applied")).toBe(true);
      expect(events[0]?.fromQuantity).toBe(0);
      expect(events[0]?.toQuantity).toBeGreaterThan(0);
      expect(events[0]?.reason).toMatch(/^worker 0 → \d+: /);
      expect(events.at(-1)?.toQuantity).toBe(0);
      expect(events.every((e) => e.apiLatencyMs !== null)).toBe(true);
      const samples = await db.metricSample.count({ where: { tenantId: tenant.tenantId } });
      expect(samples).toBeGreaterThan(5);
      const health = await db.tenant.findUniqueOrThrow({ where: { id: tenant.tenantId }, select: { lastGoodCheckAt: true, lastError: true } });
      expect(health.lastError).toBeNull();
      expect(health.lastGoodCheckAt).not.toBeNull();
    } finally {
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  });

  it("records what it would do without acting when scaling is not authorized", async () => {
    const { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace, db } = await engine();
    const tenant = await createEngineTenant(sim, { rule: { minQuantity: 0, maxQuantity: 3 }, authorized: false });
    const writer = new RecordWriter();
    try {
      for (let i = 0; i < 5; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: 30 });
      for (let i = 0; i < 3; i += 1) await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      expect(sim.appStats(tenant.appName).formation.worker?.quantity).toBe(0);
      const events = await db.scaleEvent.findMany({ where: { tenantId: tenant.tenantId } });
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.outcome === "not_authorized")).toBe(true);
    } finally {
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  });

  it("notices a quantity changed by hand on Heroku and records it", async () => {
    const { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace, db } = await engine();
    const tenant = await createEngineTenant(sim, { rule: { minQuantity: 0, maxQuantity: 3, scaleToZero: { idleSeconds: 600 } } });
    const writer = new RecordWriter();
    try {
      await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      const owner = sim.issueToken(tenant.accountId, ["global"]);
      const patched = await fetch(`${sim.apiUrl}/apps/${tenant.appId}/formation/worker`, {
        method: "PATCH",
        headers: { accept: "application/vnd.heroku+json; version=3", authorization: `Bearer ${owner.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ quantity: 2 }),
      });
      expect(patched.status).toBe(200);
      // The formation is re-read every few minutes; make the last read old so this check re-reads.
      const { readCheckStates, writeCheckStates } = await import("@/lib/checks/check-state");
      const state = (await readCheckStates(redis, [tenant.tenantId])).get(tenant.tenantId);
      if (!state?.formation) throw new Error("the first check did not read the formation");
      await writeCheckStates(redis, new Map([[tenant.tenantId, { ...state, formation: { ...state.formation, readAtMs: 0 } }]]));
      await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      const manual = await db.scaleEvent.findFirstOrThrow({ where: { tenantId: tenant.tenantId, outcome: "manual" } });
      expect(manual).toMatchObject({ fromQuantity: 0, toQuantity: 2, reason: "worker 0 → 2: changed on Heroku" });
      expect((await readCheckStates(redis, [tenant.tenantId])).get(tenant.tenantId)?.history.worker?.currentQuantity).toBe(2);
    } finally {
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  });

  it("keeps its decision through a 5xx storm and applies it once Heroku recovers", async () => {
    const { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace, db } = await engine();
    const tenant = await createEngineTenant(sim, { rule: { minQuantity: 0, maxQuantity: 3, concurrencyPerDyno: 2 } });
    const writer = new RecordWriter();
    try {
      for (let i = 0; i < 6; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: 60 });
      sim.faults.set({ serverErrorRate: 1 });
      await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      expect(sim.appStats(tenant.appName).formation.worker?.quantity).toBe(0);
      const failed = await db.scaleEvent.findFirstOrThrow({ where: { tenantId: tenant.tenantId, outcome: "failed" } });
      expect(failed.error).toMatch(/503/);

      sim.faults.clear();
      await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      expect(sim.appStats(tenant.appName).formation.worker?.quantity).toBe(3);
    } finally {
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  });

  it("backs off in a 429 storm, calls no more than it must, and scales once Heroku refills", async () => {
    const { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace } = await engine();
    const tenant = await createEngineTenant(sim, { rule: { minQuantity: 0, maxQuantity: 3, concurrencyPerDyno: 2 } });
    const writer = new RecordWriter();
    try {
      for (let i = 0; i < 6; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: 60 });
      sim.faults.set({ rateLimitStormSeconds: 4 });
      const stormStartedMs = Date.now();
      const before = apiCalls.length;
      // Checks every half second through the storm: the first call meets the 429, the
      // rest wait on the emptied bucket instead of calling.
      while (Date.now() - stormStartedMs < 4_000) {
        await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
        await sleep(500);
      }
      const duringStorm = apiCalls.slice(before).filter((call) => call.path.includes(tenant.appId) || call.path.startsWith("/account"));
      expect(duringStorm.filter((call) => call.status === 429).length).toBeGreaterThanOrEqual(1);
      expect(duringStorm.length).toBeLessThanOrEqual(2);
      expect(sim.appStats(tenant.appName).formation.worker?.quantity).toBe(0);

      // After the storm, a free rate-limit read (at most every 10 s) shows Heroku refilled.
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && sim.appStats(tenant.appName).formation.worker?.quantity !== 3) {
        await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
        await sleep(500);
      }
      expect(sim.appStats(tenant.appName).formation.worker?.quantity).toBe(3);
      expect(apiCalls.slice(before).filter((call) => call.status === 429).length).toBeLessThanOrEqual(2);
    } finally {
      sim.faults.clear();
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  });

  it("retries a formation update Heroku refuses during a release at the next check", async () => {
    const { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace, db } = await engine();
    const tenant = await createEngineTenant(sim, { rule: { minQuantity: 0, maxQuantity: 2, concurrencyPerDyno: 2 } });
    const writer = new RecordWriter();
    try {
      for (let i = 0; i < 4; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: 60 });
      sim.faults.set({ refuseFormationUpdates: true });
      await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      expect(await db.scaleEvent.count({ where: { tenantId: tenant.tenantId } })).toBe(0);
      sim.faults.clear();
      await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      expect(sim.appStats(tenant.appName).formation.worker?.quantity).toBe(2);
    } finally {
      sim.faults.clear();
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  });

  it("clamps to the limit Heroku names and says so", async () => {
    const { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace, db } = await engine();
    const tenant = await createEngineTenant(sim, { rule: { minQuantity: 0, maxQuantity: 4, concurrencyPerDyno: 1 }, size: "basic" });
    const writer = new RecordWriter();
    try {
      for (let i = 0; i < 4; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: 60 });
      await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      expect(sim.appStats(tenant.appName).formation.worker?.quantity).toBe(1);
      const event = await db.scaleEvent.findFirstOrThrow({ where: { tenantId: tenant.tenantId, outcome: "applied" } });
      expect(event.toQuantity).toBe(1);
      expect(event.reason).toMatch(/clamped to 1 by Heroku/);
    } finally {
      await writer.stop();
      await deleteNamespace(tenant.namespace);
    }
  });

  it("queues one notice when an app is stuck at its maximum, not one per check", async () => {
    const { runCheckBatch, RecordWriter, createEngineTenant, deleteNamespace } = await engine();
    const { Queue } = await import("bullmq");
    const { WORKER_PREFIX, WORKER_QUEUE } = await import("@/lib/jobs/queue-names");
    const tenant = await createEngineTenant(sim, { rule: { minQuantity: 0, maxQuantity: 1, concurrencyPerDyno: 2 } });
    const writer = new RecordWriter();
    const queue = new Queue(WORKER_QUEUE, { connection: { host: "127.0.0.1", port: 6379 }, prefix: WORKER_PREFIX });
    try {
      for (let i = 0; i < 10; i += 1) await sim.enqueue(tenant.appName, { durationSeconds: 60 });
      for (let i = 0; i < 4; i += 1) await runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis, writer });
      expect(sim.appStats(tenant.appName).formation.worker?.quantity).toBe(1);
      const jobs = await queue.getJobs(["waiting", "delayed", "active", "completed", "failed"]);
      const notices = jobs.filter((job) => job.name === "notify" && job.data.tenantId === tenant.tenantId);
      expect(notices).toHaveLength(1);
      expect(notices[0]?.data).toMatchObject({ kind: "max", processType: "worker" });
      expect(notices[0]?.data.message).toMatch(/running 1 of 1 dynos while the queue needs 5/);
    } finally {
      await queue.close();
      await writer.stop();
      await deleteNamespace(tenant.namespace);
      const { closeQueue } = await import("@/lib/jobs/enqueue");
      await closeQueue();
    }
  });
});
