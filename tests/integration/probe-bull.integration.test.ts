import { randomUUID } from "node:crypto";
import Bull from "bull";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * Bull (the `bull` package, Bull 3's layout) writing real jobs under a prefix of its own: a
 * worker holds one job (active), others wait (one added 30 s ago), one is delayed; another
 * queue holds a prioritized job, and a third is paused with a job in it.
 */
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/12";
const prefix = `bulltest${randomUUID().slice(0, 8)}`;
const admin = new Redis(redisUrl);
const queues: Bull.Queue[] = [];
let release: () => void = () => undefined;

/** Bull's Job takes `opts.timestamp` as its creation time; its type declarations omit it. */
function addedAgo(ms: number): Bull.JobOptions & { timestamp: number } {
  return { timestamp: Date.now() - ms };
}

function queue(name: string): Bull.Queue {
  const created = new Bull(name, redisUrl, { prefix });
  queues.push(created);
  return created;
}

beforeAll(async () => {
  const work = queue("work");
  const held = new Promise<void>((resolve) => (release = resolve));
  let started: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (started = resolve));
  await work.add({ slow: true });
  void work.process(1, async () => {
    started();
    await held;
  });
  await running;
  await work.add({ n: 1 }, addedAgo(30_000));
  await work.add({ n: 2 });
  await work.add({ n: 4 }, { delay: 60_000 });

  // Bull keeps prioritized jobs in the wait list itself, at the position their rank gives.
  const ranked = queue("ranked");
  await ranked.add({ n: 6 }, addedAgo(20_000));
  await ranked.add({ n: 7 }, { priority: 1 });

  const paused = queue("paused");
  await paused.pause();
  await paused.add({ n: 5 });
});

afterAll(async () => {
  release();
  await Promise.all(queues.map((q) => q.close()));
  await closeProbeConnections();
  for await (const keys of admin.scanStream({ match: `${prefix}:*`, count: 500 })) {
    if ((keys as string[]).length) await admin.del(...(keys as string[]));
  }
  admin.disconnect();
});

describe("Bull probe", () => {
  it("reads waiting, active and delayed jobs and the oldest wait", async () => {
    const result = await probeQueues({ backend: "bull", url: redisUrl, prefix, queues: ["work"] });
    const [work] = result.queues;
    expect(work).toMatchObject({ name: "work", depth: 2, busy: 1, scheduled: 1, retries: null });
    expect(work?.paused).toBeUndefined();
    expect(work?.latencyMs).toBeGreaterThanOrEqual(29_000);
    expect(work?.latencyMs).toBeLessThan(60_000);
    expect(result.roundTrips).toBe(2);
  });

  it("finds every queue, counts prioritized jobs once and sees the paused one", async () => {
    const result = await probeQueues({ backend: "bull", url: redisUrl, prefix });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(Object.keys(byName).sort()).toEqual(["paused", "ranked", "work"]);
    expect(byName.paused).toMatchObject({ depth: 1, busy: 0, paused: true });
    // The prioritized job runs next, so the latency is its age: a lower bound.
    expect(byName.ranked).toMatchObject({ depth: 2, busy: 0 });
    expect(byName.ranked?.latencyMs).toBeLessThan(20_000);
  });
});
