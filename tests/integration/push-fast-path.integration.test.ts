import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { writeCheckStates } from "@/lib/checks/check-state";
import { reactToReport } from "@/lib/checks/react-to-report";
import { checksQueue } from "@/lib/checks/trigger-check";
import { db, disconnectDb } from "@/lib/db/client";
import { CHECKS_QUEUE, WORKER_PREFIX } from "@/lib/jobs/queue-names";
import { storeReport } from "@/lib/queues/push";
import { emptyHistory } from "@/lib/scaling/decide";

const redis = new Redis("redis://127.0.0.1:6379");
const queue = new Queue(CHECKS_QUEUE, { connection: { host: "127.0.0.1", port: 6379 }, prefix: WORKER_PREFIX });

afterAll(async () => {
  await queue.close();
  await checksQueue().close();
  await redis.quit();
  await disconnectDb();
});

async function pushTenant(plan: string) {
  return db.tenant.create({
    data: {
      channel: "heroku",
      herokuResourceId: randomUUID(),
      appName: `push-${randomUUID().slice(0, 8)}`,
      plan,
      state: "active",
      processRules: { create: { processType: "worker", minDynos: 0, maxDynos: 5, settings: { concurrencyPerDyno: 2 } } },
      queueSources: { create: { processType: "worker", mode: "push" } },
    },
    select: { id: true },
  });
}

async function checkNowJobsFor(tenantId: string) {
  const jobs = await queue.getJobs(["waiting", "delayed", "active", "completed", "failed", "prioritized"]);
  return jobs.filter((job) => job.name === "check-now" && job.data.tenantId === tenantId);
}

describe("the push fast path", () => {
  it("triggers one check at once on Pro when a report calls for more dynos, debounced", async () => {
    const tenant = await pushTenant("pro");
    const report = { process_type: "worker", queues: [{ name: "default", depth: 12, latency_ms: 15_000 }] };
    const stored = await storeReport(redis, tenant.id, report);
    // Two reports within one debounce window (the same instant here) make one check.
    const nowMs = Date.now();
    expect((await reactToReport(redis, tenant.id, "worker", stored, nowMs)).checkTriggered).toBe(true);
    expect((await reactToReport(redis, tenant.id, "worker", stored, nowMs)).checkTriggered).toBe(true);
    expect(await checkNowJobsFor(tenant.id)).toHaveLength(1);
  });

  it("waits for the next scheduled check when the report needs nothing, or the plan has no fast path", async () => {
    const quiet = await pushTenant("pro");
    const empty = await storeReport(redis, quiet.id, { process_type: "worker", queues: [{ name: "default", depth: 0, latency_ms: 0 }] });
    expect(await reactToReport(redis, quiet.id, "worker", empty)).toEqual({ checkTriggered: false, scaledToZero: false });

    const standard = await pushTenant("standard");
    const busy = await storeReport(redis, standard.id, { process_type: "worker", queues: [{ name: "default", depth: 40, latency_ms: 60_000 }] });
    // Standard has no fast path: with dynos running (or no check yet) a busy report waits.
    expect(await reactToReport(redis, standard.id, "worker", busy)).toEqual({ checkTriggered: false, scaledToZero: false });
    await atQuantity(standard.id, 2);
    expect(await reactToReport(redis, standard.id, "worker", busy)).toEqual({ checkTriggered: false, scaledToZero: false });
    expect(await checkNowJobsFor(quiet.id)).toHaveLength(0);
    expect(await checkNowJobsFor(standard.id)).toHaveLength(0);
  });
});

/** Stores the check state a check leaves behind: the worker process type at `quantity`. */
async function atQuantity(tenantId: string, quantity: number) {
  await writeCheckStates(redis, new Map([[tenantId, { history: { worker: emptyHistory(quantity) }, formation: null }]]));
}

describe("the wake from zero", () => {
  it("on Standard, a report that finds work while the process type is at zero triggers a check at once", async () => {
    const tenant = await pushTenant("standard");
    await atQuantity(tenant.id, 0);
    const idle = await storeReport(redis, tenant.id, { process_type: "worker", queues: [{ name: "default", depth: 0, latency_ms: 0 }] });
    // At zero with nothing queued: the answer tells the agent to wake Ebbflow on its next enqueue.
    expect(await reactToReport(redis, tenant.id, "worker", idle)).toEqual({ checkTriggered: false, scaledToZero: true });
    expect(await checkNowJobsFor(tenant.id)).toHaveLength(0);
    const woken = await storeReport(redis, tenant.id, { process_type: "worker", queues: [{ name: "default", depth: 1, latency_ms: 200 }] });
    expect(await reactToReport(redis, tenant.id, "worker", woken)).toEqual({ checkTriggered: true, scaledToZero: true });
    expect(await checkNowJobsFor(tenant.id)).toHaveLength(1);
  });

  it("not on Hobby, nor for a process type without a rule", async () => {
    const hobby = await pushTenant("hobby");
    await atQuantity(hobby.id, 0);
    const woken = await storeReport(redis, hobby.id, { process_type: "worker", queues: [{ name: "default", depth: 3, latency_ms: 900 }] });
    expect(await reactToReport(redis, hobby.id, "worker", woken)).toEqual({ checkTriggered: false, scaledToZero: false });
    const standard = await pushTenant("standard");
    await atQuantity(standard.id, 0);
    const other = await storeReport(redis, standard.id, { process_type: "mailer", queues: [{ name: "mail", depth: 3, latency_ms: 900 }] });
    expect(await reactToReport(redis, standard.id, "mailer", other)).toEqual({ checkTriggered: false, scaledToZero: false });
    expect(await checkNowJobsFor(hobby.id)).toHaveLength(0);
    expect(await checkNowJobsFor(standard.id)).toHaveLength(0);
  });
});
