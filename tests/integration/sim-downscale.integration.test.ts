import Heroku from "heroku-client";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { useCheckedSim } from "@/tests/helpers/checked-sim";
import { deleteKeysWithPrefix, testRedisUrl, uniqueName } from "@/sim/testing/sim-test-kit";

const dynoNamesSchema = z.array(z.object({ name: z.string(), state: z.string() }));

describe("simulated Heroku: downscale during long jobs", () => {
  const checked = useCheckedSim({});
  const namespace = uniqueName("ebbsim-downscale");
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(testRedisUrl);
  });

  afterAll(async () => {
    await redis.quit();
    await deleteKeysWithPrefix(namespace);
  });

  async function appWithTwoBusyDynos(suffix: string, durations: number[]) {
    const { sim, clock } = checked.harness;
    const account = sim.createAccount();
    const token = sim.issueToken(account.id, ["write"]).accessToken;
    const app = await sim.createApp({
      owner: account.id,
      name: uniqueName("downscale"),
      processTypes: [{ type: "worker", concurrency: 2, quantity: 2 }],
      jobs: { backend: "sidekiq", redisUrl: testRedisUrl, namespace: `${namespace}:${suffix}` },
    });
    for (const duration of durations) await sim.enqueue(app.name, { durationSeconds: duration });
    await clock.advanceSeconds(30);
    expect(sim.appStats(app.name).busy).toBe(4);
    return { app, heroku: new Heroku({ token, host: sim.apiUrl }) };
  }

  it("SIGTERMs the highest-numbered dyno, then kills, counts and re-queues its jobs after 30 s", async () => {
    const { sim, clock } = checked.harness;
    const { app, heroku } = await appWithTwoBusyDynos("kill", [600, 600, 600, 600]);
    const queueKey = `${namespace}:kill:queue:default`;
    const worker2Jobs = async () => {
      const identity = (await redis.smembers(`${namespace}:kill:processes`)).find((name) => name.startsWith("worker.2:"));
      const work = await redis.hgetall(`${namespace}:kill:${identity}:work`);
      return Object.values(work).map((entry) => z.object({ payload: z.string() }).parse(JSON.parse(entry)).payload);
    };
    await clock.advanceSeconds(10); // a heartbeat records the busy threads
    const runningOnWorker2 = await worker2Jobs();
    expect(runningOnWorker2).toHaveLength(2);

    await heroku.patch(`/apps/${app.name}/formation`, { body: { updates: [{ type: "worker", quantity: 1 }] } });
    expect(dynoNamesSchema.parse(await heroku.get(`/apps/${app.name}/dynos`)).map((dyno) => dyno.name)).toEqual(["worker.1"]);
    expect(sim.appStats(app.name).dynos).toEqual({ starting: 0, up: 1, stopping: 1 });

    await clock.advanceSeconds(29);
    expect(sim.appStats(app.name).jobs.killed).toBe(0);
    expect(await redis.llen(queueKey)).toBe(0);

    await clock.advanceSeconds(1);
    const stats = sim.appStats(app.name);
    expect(stats.jobs.killed).toBe(2);
    expect(stats.dynos).toEqual({ starting: 0, up: 1, stopping: 0 });
    expect(stats.busy).toBe(2);
    // Back on the queue unchanged, at the end the next pop takes from (as Sidekiq requeues).
    expect((await redis.lrange(queueKey, 0, -1)).sort()).toEqual([...runningOnWorker2].sort());
    const processes = await redis.smembers(`${namespace}:kill:processes`);
    expect(processes.map((identity) => identity.split(":")[0])).toEqual(["worker.1"]);
    // worker.2 was billed for boot + 10 s + the 30 s grace period.
    expect(stats.usage.dynoSeconds).toBeCloseTo(70 + 70, 5);
  });

  it("lets a dyno whose jobs finish within the grace period exit early, killing nothing", async () => {
    const { sim, clock } = checked.harness;
    const { app, heroku } = await appWithTwoBusyDynos("early", [20, 20, 20, 20]);
    await heroku.patch(`/apps/${app.name}/formation/worker`, { body: { quantity: 0 } });
    expect(sim.appStats(app.name).dynos.stopping).toBe(2);
    await clock.advanceSeconds(20);
    const stats = sim.appStats(app.name);
    expect(stats.dynos).toEqual({ starting: 0, up: 0, stopping: 0 });
    expect(stats.jobs).toMatchObject({ completed: 4, killed: 0 });
    expect(await sim.queueDepth(app.name)).toBe(0);
    // Billing stopped when the dynos exited: 2 × (30 s boot + 20 s).
    expect(stats.usage.dynoSeconds).toBeCloseTo(100, 5);
    expect(checked.recorder.checked).toBeGreaterThan(0);
  });
});
