import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { reactToReport } from "@/lib/checks/react-to-report";
import { checksQueue } from "@/lib/checks/trigger-check";
import { db, disconnectDb } from "@/lib/db/client";
import { CHECKS_QUEUE, WORKER_PREFIX } from "@/lib/jobs/queue-names";
import { storeReport } from "@/lib/queues/push";

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
    expect(await reactToReport(redis, tenant.id, "worker", stored, nowMs)).toBe(true);
    expect(await reactToReport(redis, tenant.id, "worker", stored, nowMs)).toBe(true);
    expect(await checkNowJobsFor(tenant.id)).toHaveLength(1);
  });

  it("waits for the next scheduled check when the report needs nothing, or the plan has no fast path", async () => {
    const quiet = await pushTenant("pro");
    const empty = await storeReport(redis, quiet.id, { process_type: "worker", queues: [{ name: "default", depth: 0, latency_ms: 0 }] });
    expect(await reactToReport(redis, quiet.id, "worker", empty)).toBe(false);

    const standard = await pushTenant("standard");
    const busy = await storeReport(redis, standard.id, { process_type: "worker", queues: [{ name: "default", depth: 40, latency_ms: 60_000 }] });
    expect(await reactToReport(redis, standard.id, "worker", busy)).toBe(false);
    expect(await checkNowJobsFor(quiet.id)).toHaveLength(0);
    expect(await checkNowJobsFor(standard.id)).toHaveLength(0);
  });
});
