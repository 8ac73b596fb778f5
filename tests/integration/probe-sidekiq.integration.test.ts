import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * Builds Sidekiq's keys the way Sidekiq writes them (client LPUSH with enqueued_at, schedule
 * and retry sorted sets scored in float seconds, the heartbeat's process hash and its work
 * hash) and checks what the probe reads back. DB 10 is this file's alone: Sidekiq without a
 * namespace uses fixed key names; every key written is deleted afterwards.
 */
const DB = 10;
const url = `redis://127.0.0.1:6379/${DB}`;
const redis = new Redis(url);
const written = new Set<string>();
const now = Date.now();

function job(queue: string, enqueuedAt: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ class: "HardJob", args: [1], queue, jid: randomUUID().slice(0, 24), retry: true, enqueued_at: enqueuedAt, ...extra });
}

async function write(command: (pipeline: ReturnType<Redis["pipeline"]>) => void, keys: string[]) {
  keys.forEach((key) => written.add(key));
  const pipeline = redis.pipeline();
  command(pipeline);
  await pipeline.exec();
}

/** A Sidekiq 7/8 process heartbeat: the processes set, the process hash and its work hash. */
async function heartbeat(ns: string, identity: string, work: { queue: string }[], workKey: "work" | "workers") {
  const key = (name: string) => (ns ? `${ns}:${name}` : name);
  await write(
    (p) => {
      p.sadd(key("processes"), identity);
      p.hset(key(identity), "info", JSON.stringify({ hostname: "web.1", concurrency: 5, queues: ["default", "mailers"], identity }), "busy", String(work.length), "beat", String(now / 1000), "quiet", "false");
      work.forEach((entry, index) =>
        p.hset(key(`${identity}:${workKey}`), `tid${index}`, JSON.stringify({ queue: entry.queue, payload: job(entry.queue, now / 1000), run_at: Math.floor(now / 1000) })),
      );
    },
    [key("processes"), key(identity), key(`${identity}:${workKey}`)],
  );
}

/** Sidekiq 6/7 (float seconds) in "default", Sidekiq 8 (integer ms) in "mailers". */
async function seed(ns: string, workKey: "work" | "workers") {
  const key = (name: string) => (ns ? `${ns}:${name}` : name);
  await write(
    (p) => {
      p.sadd(key("queues"), "default", "mailers");
      // The client LPUSHes, so the first pushed (oldest) job ends up at index -1.
      p.lpush(key("queue:default"), job("default", (now - 30_000) / 1000));
      p.lpush(key("queue:default"), job("default", (now - 20_000) / 1000));
      p.lpush(key("queue:default"), job("default", (now - 1_000) / 1000));
      p.lpush(key("queue:mailers"), job("mailers", now - 5_000));
      p.zadd(key("schedule"), String((now + 60_000) / 1000), job("default", 0, { at: (now + 60_000) / 1000 }));
      p.zadd(key("schedule"), String((now + 120_000) / 1000), job("default", 0, { at: (now + 120_000) / 1000 }));
      p.zadd(key("schedule"), String((now - 2_000) / 1000), job("mailers", 0, { at: (now - 2_000) / 1000 }));
      p.zadd(key("retry"), String((now + 30_000) / 1000), job("default", (now - 90_000) / 1000, { retry_count: 1, error_class: "RuntimeError" }));
    },
    ["queues", "queue:default", "queue:mailers", "schedule", "retry"].map(key),
  );
  await heartbeat(ns, `web.1:${process.pid}:${randomUUID().slice(0, 12)}`, [{ queue: "default" }, { queue: "mailers" }], workKey);
}

beforeAll(async () => {
  await seed("", "work");
});

afterAll(async () => {
  if (written.size) await redis.del(...written);
  redis.disconnect();
  await closeProbeConnections();
});

describe("Sidekiq probe", () => {
  it("reads depth, latency across timestamp formats, busy, scheduled, retries and due", async () => {
    const result = await probeQueues({ backend: "sidekiq", url, queues: ["default", "mailers", "empty"] });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default?.depth).toBe(3);
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(29_000);
    expect(byName.default?.latencyMs).toBeLessThan(31_000);
    expect(byName.mailers?.depth).toBe(1);
    expect(byName.mailers?.latencyMs).toBeGreaterThanOrEqual(4_000);
    expect(byName.mailers?.latencyMs).toBeLessThan(6_000);
    expect(byName.empty).toEqual({ name: "empty", depth: 0, latencyMs: null, busy: 0 });
    expect(byName.default?.busy).toBe(1);
    expect(byName.mailers?.busy).toBe(1);
    expect(result.totalDepth).toBe(4);
    expect(result.busy).toBe(2);
    expect(result.scheduled).toBe(3);
    expect(result.retries).toBe(1);
    expect(result.due).toBe(1);
    expect(result.maxLatencyMs).toBe(byName.default?.latencyMs);
  });

  it("costs one round trip once the process list is known", async () => {
    await probeQueues({ backend: "sidekiq", url, queues: ["default"] });
    const second = await probeQueues({ backend: "sidekiq", url, queues: ["default", "mailers"] });
    expect(second.roundTrips).toBe(1);
  });

  it("discovers queue names from the queues set", async () => {
    const result = await probeQueues({ backend: "sidekiq", url });
    expect(result.queues.map((q) => q.name)).toEqual(["default", "mailers"]);
    expect(result.totalDepth).toBe(4);
  });

  it("reads a redis-namespace prefix and Sidekiq 6's workers hash", async () => {
    const ns = `ns${randomUUID().slice(0, 8)}`;
    await seed(ns, "workers");
    const result = await probeQueues({ backend: "sidekiq", url, namespace: ns });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default?.depth).toBe(3);
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(29_000);
    expect(byName.default?.latencyMs).toBeLessThan(31_000);
    expect(byName.default?.busy).toBe(1);
    expect(result.busy).toBe(2);
    expect(result.scheduled).toBe(3);
    expect(result.retries).toBe(1);
  });

  it("reports an unparseable head job per queue and a job without a time as unknown latency", async () => {
    const ns = `ns${randomUUID().slice(0, 8)}`;
    await write(
      (p) => {
        p.lpush(`${ns}:queue:broken`, "this is not json");
        p.lpush(`${ns}:queue:timeless`, JSON.stringify({ class: "X", args: [] }));
      },
      [`${ns}:queue:broken`, `${ns}:queue:timeless`],
    );
    const result = await probeQueues({ backend: "sidekiq", url, namespace: ns, queues: ["broken", "timeless"] });
    const [broken, timeless] = result.queues;
    expect(broken).toMatchObject({ name: "broken", depth: 1, latencyMs: null });
    expect(broken?.error).toMatch(/not valid JSON/);
    expect(timeless).toMatchObject({ name: "timeless", depth: 1, latencyMs: null });
    expect(timeless?.error).toBeUndefined();
  });
});
