import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { startSim, type Sim } from "@/sim/start-sim";
import { createScratchDatabase } from "../helpers/database";
import { spawnWorker, type WorkerProcess } from "../helpers/worker-process";

/**
 * Worker processes against their own database and their own Redis database (index 7), so
 * that no other test's worker claims these checks, and the simulated Heroku in-process.
 */
const ebbflowRedisUrl = "redis://127.0.0.1:6379/7";
const redis = new Redis(ebbflowRedisUrl, { maxRetriesPerRequest: null });
let sim: Sim;
let dropDatabase: () => Promise<void> = async () => {};
let workerEnv: Record<string, string> = {};
const workers: WorkerProcess[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const database = await createScratchDatabase("resilience");
  dropDatabase = database.drop;
  await migrate(database.url, path.resolve(import.meta.dirname, "../../prisma/migrations"));
  await redis.flushdb();
  sim = await startSim({ port: 0, bootDelaySeconds: 1, shutdownGraceSeconds: 2, heartbeatSeconds: 1 });
  // This file's own library calls (creating tenants) use the same database and Redis.
  process.env.DATABASE_URL = database.url;
  process.env.REDIS_URL = ebbflowRedisUrl;
  process.env.HEROKU_API_URL = sim.apiUrl;
  process.env.HEROKU_ID_URL = sim.idUrl;
  workerEnv = {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    REDIS_URL: ebbflowRedisUrl,
    HEROKU_API_URL: sim.apiUrl,
    HEROKU_ID_URL: sim.idUrl,
    EBBFLOW_MAINTENANCE_MS: "3000",
  };
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
  await sim.close();
  await redis.flushdb();
  await redis.quit();
  const { disconnectDb } = await import("@/lib/db/client");
  const { disconnectWebRedis } = await import("@/lib/redis/connection");
  await disconnectWebRedis();
  await disconnectDb();
  await dropDatabase();
});

function startWorker(): WorkerProcess {
  const worker = spawnWorker(workerEnv);
  workers.push(worker);
  return worker;
}

async function lastCheckAt(tenantId: string): Promise<number> {
  const { db } = await import("@/lib/db/client");
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { lastCheckAt: true } });
  return tenant.lastCheckAt?.getTime() ?? 0;
}

async function waitUntil(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

async function newTenant() {
  const { createEngineTenant } = await import("../helpers/engine-fixture");
  const { syncTenantSchedule } = await import("@/lib/checks/reconcile-schedules");
  const tenant = await createEngineTenant(sim, { plan: "standard", rule: { minQuantity: 0, maxQuantity: 2 } });
  await syncTenantSchedule(redis, tenant.tenantId);
  return tenant;
}

describe("checks survive worker crashes and a flushed Redis", () => {
  it("a worker killed with SIGKILL mid-check loses no tenant: another checks it within two intervals", { timeout: 120_000 }, async () => {
    const first = startWorker();
    const second = startWorker();
    await Promise.all([first.waitFor("worker started", 60_000), second.waitFor("worker started", 60_000)]);
    // Only the first worker runs until it is killed, so it is the one caught mid-check.
    second.child.kill("SIGSTOP");
    // Every Heroku call takes 1.5 s, so a check that reads the formation is caught in the middle.
    sim.faults.set({ latencyMs: 1500 });
    const tenant = await newTenant();

    // The tenant's check holds its lock while it runs: kill the worker then.
    await waitUntil("a check of the tenant starts", 30_000, async () => (await redis.exists(`ebbflow:check-lock:${tenant.tenantId}`)) === 1);
    first.child.kill("SIGKILL");
    const killedAt = Date.now();
    expect(await first.exited).toBeNull();
    second.child.kill("SIGCONT");
    sim.faults.clear();

    await waitUntil("another worker checks the tenant", 60_000, async () => (await lastCheckAt(tenant.tenantId)) > killedAt);
    // The check's own time, not when this test noticed it: within two 10 s intervals of the kill.
    expect((await lastCheckAt(tenant.tenantId)) - killedAt).toBeLessThan(2 * 10_000);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("heals a flushed Redis: the schedule is rebuilt from Postgres and checks resume", { timeout: 120_000 }, async () => {
    const tenant = await newTenant();
    const worker = startWorker();
    await worker.waitFor("worker started", 60_000);
    await waitUntil("a first check", 30_000, async () => (await lastCheckAt(tenant.tenantId)) > 0);

    await redis.flushdb();
    const flushedAt = Date.now();
    expect(await redis.zscore("ebbflow:checks:due", tenant.tenantId)).toBeNull();
    // Maintenance runs every 3 s here (every 60 s by default); under load, allow it a few turns.
    const rebuiltAfterMs = await waitUntil("the schedule is rebuilt", 20_000, async () => (await redis.zscore("ebbflow:checks:due", tenant.tenantId)) !== null);
    expect(rebuiltAfterMs).toBeLessThan(20_000);
    await waitUntil("checks resume", 60_000, async () => (await lastCheckAt(tenant.tenantId)) > flushedAt);
    // Rebuilt tenants are spread over one interval, so the first check after the flush comes
    // within the maintenance period plus one interval.
    expect((await lastCheckAt(tenant.tenantId)) - flushedAt).toBeLessThan(rebuiltAfterMs + 10_000 + 2_000);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});
