import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ManualClock } from "@/sim/clock";
import { replayTrace } from "@/sim/load/replay-trace";
import { parseTrace } from "@/sim/load/trace";
import { deleteKeysWithPrefix, testRedisUrl, uniqueName } from "@/sim/testing/sim-test-kit";

describe("replayTrace", () => {
  const namespace = uniqueName("ebbsim-replay");
  const redis = new Redis(testRedisUrl);

  afterAll(async () => {
    await redis.quit();
    await deleteKeysWithPrefix(namespace);
  });

  it("fills a Sidekiq queue on the trace's schedule, without a simulator", async () => {
    const clock = new ManualClock();
    const trace = parseTrace('{"t": 0, "duration": 2}\n{"t": 30, "queue": "mail", "duration": 1}\n{"t": 30.5, "duration": 4}');
    const run = replayTrace({ trace, jobs: { backend: "sidekiq", redisUrl: testRedisUrl, namespace, version: 8 }, clock });
    await clock.advanceSeconds(0);
    expect(await redis.llen(`${namespace}:queue:default`)).toBe(1);
    await clock.advanceSeconds(31);
    await run.done;
    expect(await redis.llen(`${namespace}:queue:default`)).toBe(2);
    expect((await redis.smembers(`${namespace}:queues`)).sort()).toEqual(["default", "mail"]);
    const job = z
      .object({ class: z.string(), args: z.tuple([z.object({ duration: z.number() })]), enqueued_at: z.number() })
      .parse(JSON.parse((await redis.lindex(`${namespace}:queue:mail`, 0)) ?? "{}"));
    expect(job.args[0].duration).toBe(1);
    expect(job.enqueued_at).toBe(clock.now() - 1000);
    await run.close();
  });
});
