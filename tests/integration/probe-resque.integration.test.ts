import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * Resque's keys as Resque writes them (RPUSH of `{"class","args"}`, the queues set, the
 * workers set and a `worker:<id>` payload while a worker runs a job), under a random
 * namespace in place of "resque".
 */
const url = "redis://127.0.0.1:6379/11";
const ns = `resque${randomUUID().slice(0, 8)}`;
const redis = new Redis(url);
const now = Date.now();

afterAll(async () => {
  for await (const keys of redis.scanStream({ match: `${ns}:*`, count: 1000 })) {
    if ((keys as string[]).length) await redis.del(...(keys as string[]));
  }
  redis.disconnect();
  await closeProbeConnections();
});

describe("Resque probe", () => {
  it("reads depth, busy workers per queue, and latency only where Active Job recorded a time", async () => {
    const workerId = `web.1:${process.pid}:critical,default`;
    const activeJob = (enqueuedAt: number) =>
      JSON.stringify({
        class: "ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper",
        args: [{ job_class: "ReportJob", job_id: randomUUID(), queue_name: "critical", arguments: [], enqueued_at: new Date(enqueuedAt).toISOString() }],
      });
    await redis
      .multi()
      .sadd(`${ns}:queues`, "default", "critical")
      .rpush(`${ns}:queue:default`, JSON.stringify({ class: "Archive", args: [1] }), JSON.stringify({ class: "Archive", args: [2] }))
      .rpush(`${ns}:queue:critical`, activeJob(now - 12_000), activeJob(now - 2_000))
      .sadd(`${ns}:workers`, workerId, `web.2:${process.pid}:default`)
      .set(`${ns}:worker:${workerId}`, JSON.stringify({ queue: "critical", run_at: new Date(now).toString(), payload: { class: "X", args: [] } }))
      .exec();

    const result = await probeQueues({ backend: "resque", url, prefix: ns });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toEqual({ name: "default", depth: 2, latencyMs: null, busy: 0 });
    expect(byName.critical?.depth).toBe(2);
    expect(byName.critical?.busy).toBe(1);
    expect(byName.critical?.latencyMs).toBeGreaterThanOrEqual(11_000);
    expect(byName.critical?.latencyMs).toBeLessThan(13_000);
    expect(result.busy).toBe(1);
    expect(result.scheduled).toBeNull();
    expect(result.retries).toBeNull();

    const again = await probeQueues({ backend: "resque", url, prefix: ns, queues: ["default", "critical"] });
    expect(again.roundTrips).toBe(1);
    expect(again.totalDepth).toBe(4);
  });
});
