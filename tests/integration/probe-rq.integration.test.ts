import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * RQ's keys as RQ writes them: `rq:queues` holding queue keys, the queue list of job ids
 * (RPUSH), the job hash with `enqueued_at` in RQ's `%Y-%m-%dT%H:%M:%S.%fZ` format, the
 * StartedJobRegistry scored by expiry (one live, one abandoned entry) and the
 * ScheduledJobRegistry scored by due time. The "rq" prefix is replaced by a random one.
 */
const url = "redis://127.0.0.1:6379/14";
const ns = `rq${randomUUID().slice(0, 8)}`;
const redis = new Redis(url);
const now = Date.now();

function rqTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

afterAll(async () => {
  for await (const keys of redis.scanStream({ match: `${ns}:*`, count: 1000 })) {
    if ((keys as string[]).length) await redis.del(...(keys as string[]));
  }
  redis.disconnect();
  await closeProbeConnections();
});

describe("RQ probe", () => {
  it("reads depth, latency from the oldest job's enqueued_at, live started jobs and scheduled jobs", async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await redis
      .multi()
      .sadd(`${ns}:queues`, `${ns}:queue:default`, `${ns}:queue:high`)
      .hset(`${ns}:job:${ids[0]}`, "status", "queued", "origin", "default", "created_at", rqTime(now - 25_000), "enqueued_at", rqTime(now - 25_000))
      .hset(`${ns}:job:${ids[1]}`, "status", "queued", "origin", "default", "enqueued_at", rqTime(now - 3_000))
      .rpush(`${ns}:queue:default`, ids[0] ?? "", ids[1] ?? "")
      .hset(`${ns}:job:${ids[2]}`, "status", "queued", "origin", "high", "enqueued_at", new Date(now - 8_000).toISOString().replace(/\.\d{3}Z$/, "Z"))
      .rpush(`${ns}:queue:high`, ids[2] ?? "")
      .zadd(`${ns}:wip:default`, String(now / 1000 + 180), `${randomUUID()}:exec1`)
      .zadd(`${ns}:wip:default`, String(now / 1000 - 600), `${randomUUID()}:exec2`)
      .zadd(`${ns}:scheduled:default`, String(now / 1000 + 3600), randomUUID())
      .zadd(`${ns}:scheduled:default`, String(now / 1000 - 1), randomUUID())
      .exec();

    const result = await probeQueues({ backend: "rq", url, prefix: ns });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 2, busy: 1, scheduled: 2, retries: null });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(24_000);
    expect(byName.default?.latencyMs).toBeLessThan(26_000);
    expect(byName.high).toMatchObject({ depth: 1, busy: 0, scheduled: 0 });
    // The older second-resolution format.
    expect(byName.high?.latencyMs).toBeGreaterThanOrEqual(7_000);
    expect(byName.high?.latencyMs).toBeLessThan(9_500);
    expect(result.due).toBe(1);
    expect(result.retries).toBeNull();
  });
});
