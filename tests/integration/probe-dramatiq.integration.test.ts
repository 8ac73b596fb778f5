import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * Dramatiq's Redis broker layout, written as its dispatch.lua does (HSET the message into
 * `<queue>.msgs`, RPUSH its id onto `<queue>`; fetch moves ids into
 * `__acks__.<worker>.<queue>`; heartbeats in `__heartbeats__`), with messages encoded as
 * Dramatiq's JSON encoder writes Message.asdict(): compact JSON, `message_timestamp` and
 * `options.eta` in ms. One live worker and one whose heartbeat is two minutes old.
 */
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/12";
const namespace = `dramatiq${randomUUID().slice(0, 8)}`;
const admin = new Redis(redisUrl);
const now = Date.now();

function message(queue: string, ageMs: number, options: Record<string, unknown> = {}): { id: string; json: string } {
  const id = randomUUID();
  const json = JSON.stringify({
    queue_name: queue,
    actor_name: "send_welcome_email",
    args: [42],
    kwargs: {},
    options,
    message_id: id,
    message_timestamp: now - ageMs,
  });
  return { id, json };
}

async function enqueue(queue: string, entry: { id: string; json: string }): Promise<void> {
  await admin.hset(`${namespace}:${queue}.msgs`, entry.id, entry.json);
  await admin.rpush(`${namespace}:${queue}`, entry.id);
}

/** What fetch leaves behind: the message stays in `.msgs`, its id moves to the worker's acks. */
async function fetched(worker: string, queue: string, entry: { id: string; json: string }): Promise<void> {
  await admin.hset(`${namespace}:${queue}.msgs`, entry.id, entry.json);
  await admin.sadd(`${namespace}:__acks__.${worker}.${queue}`, entry.id);
}

beforeAll(async () => {
  await admin.zadd(`${namespace}:__heartbeats__`, now, "live-worker", now - 120_000, "dead-worker");
  await enqueue("default", message("default", 40_000));
  await enqueue("default", message("default", 10_000));
  await enqueue("default", message("default", 5_000));
  await fetched("live-worker", "default", message("default", 60_000));
  await fetched("live-worker", "default", message("default", 50_000));
  await fetched("live-worker", "default.DQ", message("default.DQ", 1_000, { eta: now + 600_000 }));
  await fetched("dead-worker", "default", message("default", 90_000));
  await enqueue("default.DQ", message("default.DQ", 1_000, { eta: now + 60_000 }));
  await enqueue("default.DQ", message("default.DQ", 30_000, { eta: now + 30_000, retries: 1, traceback: "Traceback…" }));
  // Delayed five minutes ago, due twenty seconds ago: waiting since its eta.
  await enqueue("mail", message("mail", 300_000, { eta: now - 20_000 }));
  await admin.hset(`${namespace}:broken.msgs`, "bad", "not json");
  await admin.rpush(`${namespace}:broken`, "bad");
});

afterAll(async () => {
  await closeProbeConnections();
  for await (const keys of admin.scanStream({ match: `${namespace}:*`, count: 500 })) {
    if ((keys as string[]).length) await admin.del(...(keys as string[]));
  }
  admin.disconnect();
});

describe("Dramatiq probe", () => {
  it("reads queued, unacked, orphaned and delayed messages", async () => {
    const result = await probeQueues({ backend: "dramatiq", url: redisUrl, prefix: namespace, queues: ["default", "mail"] });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 4, busy: 2, scheduled: 3, retries: null });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(40_000);
    expect(byName.default?.latencyMs).toBeLessThan(60_000);
    expect(byName.mail).toMatchObject({ depth: 1, busy: 0, scheduled: 0 });
    expect(byName.mail?.latencyMs).toBeGreaterThanOrEqual(20_000);
    expect(byName.mail?.latencyMs).toBeLessThan(40_000);
    expect(result.busy).toBe(2);
    expect(result.roundTrips).toBe(2);
  });

  it("finds the queues, leaving the delay queues out, and flags an unreadable message", async () => {
    const result = await probeQueues({ backend: "dramatiq", url: redisUrl, prefix: namespace });
    expect(result.queues.map((q) => q.name)).toEqual(["broken", "default", "mail"]);
    const broken = result.queues.find((q) => q.name === "broken");
    expect(broken).toMatchObject({ depth: 1, latencyMs: null });
    expect(broken?.error).toMatch(/not Dramatiq's JSON/);
  });
});
