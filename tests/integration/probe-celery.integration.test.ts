import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * kombu's Redis layout as kombu writes it for Celery: messages LPUSHed to the queue's list,
 * priorities in `<queue>\x06\x16<step>` lists for steps 3, 6 and 9, bindings in
 * `_kombu.binding.<exchange>` sets of `<routing key>\x06\x16<pattern>\x06\x16<queue>`, plus
 * the control (pidbox) and event exchanges that discovery must skip. Everything sits under a
 * random global_keyprefix so the test owns its keys.
 */
const url = "redis://127.0.0.1:6379/13";
const prefix = `celery${randomUUID().slice(0, 8)}:`;
const redis = new Redis(url);
const SEP = "\x06\x16";

function message(task: string, priority: number): string {
  return JSON.stringify({
    body: Buffer.from(JSON.stringify([[], {}, { callbacks: null }])).toString("base64"),
    "content-encoding": "utf-8",
    "content-type": "application/json",
    headers: { lang: "py", task, id: randomUUID(), retries: 0, eta: null, root_id: randomUUID(), parent_id: null },
    properties: { correlation_id: randomUUID(), delivery_mode: 2, delivery_info: { exchange: "", routing_key: "celery" }, priority, body_encoding: "base64", delivery_tag: randomUUID() },
  });
}

afterAll(async () => {
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 })) {
    if ((keys as string[]).length) await redis.del(...(keys as string[]));
  }
  redis.disconnect();
  await closeProbeConnections();
});

describe("Celery probe", () => {
  it("sums the priority lists and discovers queues from kombu's bindings", async () => {
    await redis
      .multi()
      .lpush(`${prefix}celery`, message("app.add", 0), message("app.add", 0))
      .lpush(`${prefix}celery${SEP}3`, message("app.add", 3))
      .lpush(`${prefix}celery${SEP}9`, message("app.add", 9), message("app.add", 9))
      .lpush(`${prefix}reports${SEP}6`, message("app.report", 6))
      .sadd(`${prefix}_kombu.binding.celery`, `celery${SEP}${SEP}celery`)
      .sadd(`${prefix}_kombu.binding.reports`, `reports${SEP}${SEP}reports`)
      .sadd(`${prefix}_kombu.binding.celery.pidbox`, `${SEP}${SEP}celery@web.1.celery.pidbox`)
      .sadd(`${prefix}_kombu.binding.celeryev`, `worker.#${SEP}${SEP}celeryev.${randomUUID()}`)
      .exec();

    const result = await probeQueues({ backend: "celery", url, prefix });
    expect(result.queues).toEqual([
      { name: "celery", depth: 5, latencyMs: null, busy: null, scheduled: null, retries: null },
      { name: "reports", depth: 1, latencyMs: null, busy: null, scheduled: null, retries: null },
    ]);
    expect(result.maxLatencyMs).toBeNull();
    expect(result.busy).toBeNull();

    const named = await probeQueues({ backend: "celery", url, prefix, queues: ["celery"] });
    expect(named.totalDepth).toBe(5);
    expect(named.roundTrips).toBe(1);
  });
});
