import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * The store is built by BullMQ itself (the installed bullmq package: Queue.add with a
 * timestamp, priority and delay, a Worker holding one job active, Queue.pause), under a
 * random custom prefix; an older layout (jobs in the `paused` list, a "0:0" marker in
 * `wait`) is written by hand as BullMQ 3.x/4.x wrote it.
 */
const url = "redis://127.0.0.1:6379/12";
const prefix = `bq${randomUUID().slice(0, 8)}`;
const connection = { host: "127.0.0.1", port: 6379, db: 12 };
const redis = new Redis(url);
const now = Date.now();
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (release = resolve));
let worker: Worker | undefined;
const queues: Queue[] = [];

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("condition not reached");
}

beforeAll(async () => {
  const emails = new Queue("emails", { connection, prefix });
  queues.push(emails);
  await emails.add("send", { n: 0 }, { timestamp: now - 60_000 });
  worker = new Worker("emails", () => gate, { connection, prefix, concurrency: 1 });
  await until(async () => (await emails.getActiveCount()) === 1);
  await emails.add("send", { n: 1 }, { timestamp: now - 30_000 });
  await emails.add("send", { n: 2 }, { timestamp: now - 20_000 });
  await emails.add("send", { n: 3 }, { timestamp: now - 1_000 });
  await emails.add("send", { n: 4 }, { timestamp: now - 10_000, priority: 5 });
  await emails.add("send", { n: 5 }, { delay: 60_000 });

  const reports = new Queue("reports", { connection, prefix });
  queues.push(reports);
  await reports.add("build", {}, { timestamp: now - 15_000 });
  await reports.pause();
});

afterAll(async () => {
  release();
  await worker?.close();
  await Promise.all(queues.map((queue) => queue.close()));
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  redis.disconnect();
  await closeProbeConnections();
});

describe("BullMQ probe", () => {
  it("counts wait and prioritized as depth, active as busy, delayed as scheduled", async () => {
    const result = await probeQueues({ backend: "bullmq", url, prefix, queues: ["emails"] });
    const [emails] = result.queues;
    expect(emails?.depth).toBe(4);
    expect(emails?.busy).toBe(1);
    expect(emails?.scheduled).toBe(1);
    expect(emails?.latencyMs).toBeGreaterThanOrEqual(29_000);
    expect(emails?.latencyMs).toBeLessThan(31_000);
    expect(emails?.paused).toBeUndefined();
    expect(result.retries).toBeNull();
    expect(result.roundTrips).toBe(2);
  });

  it("flags a paused queue from meta and discovers queues under the prefix with SCAN", async () => {
    const result = await probeQueues({ backend: "bullmq", url, prefix });
    expect(result.queues.map((q) => q.name)).toEqual(["emails", "reports"]);
    const reports = result.queues.find((q) => q.name === "reports");
    expect(reports).toMatchObject({ depth: 1, paused: true, busy: 0 });
    expect(reports?.latencyMs).toBeGreaterThanOrEqual(14_000);
    expect(reports?.latencyMs).toBeLessThan(16_000);
  });

  it("reads the older layout: paused list, marker entry, due delayed jobs", async () => {
    const key = (type: string) => `${prefix}:legacy:${type}`;
    await redis
      .multi()
      .hset(key("1"), "name", "old", "data", "{}", "opts", "{}", "timestamp", String(now - 40_000), "delay", "0")
      .hset(key("2"), "name", "old", "data", "{}", "opts", "{}", "timestamp", String(now - 5_000), "delay", "0")
      .lpush(key("paused"), "1", "2")
      .hset(key("meta"), "paused", "1")
      .lpush(key("wait"), "0:0")
      .hset(key("3"), "name", "later", "data", "{}", "opts", "{}", "timestamp", String(now - 10_000), "delay", "5000")
      .zadd(key("delayed"), String((now - 5_000) * 0x1000 + 1), "3")
      .zadd(key("delayed"), String((now + 60_000) * 0x1000 + 2), "4")
      .exec();
    const result = await probeQueues({ backend: "bullmq", url, prefix, queues: ["legacy"] });
    const [legacy] = result.queues;
    expect(legacy).toMatchObject({ depth: 2, paused: true, scheduled: 2 });
    expect(legacy?.latencyMs).toBeGreaterThanOrEqual(39_000);
    expect(legacy?.latencyMs).toBeLessThan(41_000);
    expect(result.due).toBe(1);
  });
});
