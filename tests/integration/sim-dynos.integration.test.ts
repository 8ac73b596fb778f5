import Heroku from "heroku-client";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { useCheckedSim } from "@/tests/helpers/checked-sim";
import { deleteKeysWithPrefix, testRedisUrl, uniqueName } from "@/sim/testing/sim-test-kit";

const dynoSchema = z.object({ name: z.string(), type: z.string(), state: z.string(), command: z.string() });
const errorSchema = z.object({ statusCode: z.number(), body: z.object({ id: z.string(), message: z.string() }) });

describe("simulated Heroku: dyno restart, Sidekiq quiet signals and one-off dynos", () => {
  const checked = useCheckedSim({});
  const namespace = uniqueName("ebbsim-dynos");
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(testRedisUrl);
  });

  afterAll(async () => {
    await redis.quit();
    await deleteKeysWithPrefix(namespace);
  });

  async function app(suffix: string, size = "standard-1x", quantity = 2) {
    const { sim } = checked.harness;
    const account = sim.createAccount();
    const token = sim.issueToken(account.id, ["write"]).accessToken;
    const created = await sim.createApp({
      owner: account.id,
      name: uniqueName("dynos"),
      processTypes: [{ type: "worker", size, concurrency: 2, quantity }],
      jobs: { backend: "sidekiq", redisUrl: testRedisUrl, namespace: `${namespace}:${suffix}` },
    });
    return { app: created, heroku: new Heroku({ token, host: sim.apiUrl }), ns: `${namespace}:${suffix}` };
  }

  it("restarts a formation dyno under the same name (202 {}), and 404s an unknown one", async () => {
    const { clock } = checked.harness;
    const { app: created, heroku } = await app("restart");
    await clock.advanceSeconds(60);
    expect(await heroku.delete(`/apps/${created.name}/dynos/worker.2`)).toEqual({});
    const dynos = z.array(dynoSchema).parse(await heroku.get(`/apps/${created.name}/dynos`));
    expect(dynos.map((d) => [d.name, d.state])).toEqual([["worker.1", "up"], ["worker.2", "starting"]]);
    const missing = await heroku.post(`/apps/${created.name}/dynos/worker.9/actions/stop`).catch((e: unknown) => e);
    expect(errorSchema.parse(missing).statusCode).toBe(404);
  });

  it("quiets a Sidekiq process on a TSTP pushed onto its signals list: it finishes its job and takes no other", async () => {
    const { sim, clock } = checked.harness;
    const { app: created, ns } = await app("quiet", "standard-1x", 1);
    await clock.advanceSeconds(60);
    const [identity] = await redis.smembers(`${ns}:processes`);
    expect(identity).toMatch(/^worker\.1:/);
    await sim.enqueue(created.name, { durationSeconds: 30 });
    await clock.advanceSeconds(1);
    await redis.multi().lpush(`${ns}:${identity}-signals`, "TSTP").expire(`${ns}:${identity}-signals`, 60).exec();
    await clock.advanceSeconds(10); // the heartbeat takes the signal
    await clock.advanceSeconds(10); // and the next one says so
    expect(await redis.hget(`${ns}:${identity}`, "quiet")).toBe("true");
    await sim.enqueue(created.name, { durationSeconds: 5 });
    await clock.advanceSeconds(60);
    const stats = sim.appStats(created.name);
    expect(stats.jobs.completed).toBe(1);
    expect(await sim.queueDepth(created.name)).toBe(1);
    expect(stats.jobs.killed).toBe(0);
  });

  it("runs one-off dynos: a burst command exits when its queues are empty, others at their time-to-live, never above the limit", async () => {
    const { sim, clock } = checked.harness;
    const { app: created, heroku } = await app("oneoff", "performance-m", 0);
    for (let i = 0; i < 4; i += 1) await sim.enqueue(created.name, { durationSeconds: 20 });
    const burst = dynoSchema.parse(await heroku.post(`/apps/${created.name}/dynos`, { body: { command: "rq worker --burst", size: "performance-m", time_to_live: 600, env: { EBBFLOW_PROCESS_TYPE: "worker" } } }));
    expect(burst.name).toMatch(/^run\.\d{4}$/);
    expect(burst.type).toBe("run");
    for (let i = 0; i < 4; i += 1) await heroku.post(`/apps/${created.name}/dynos`, { body: { command: "bash -c 'sleep infinity'", size: "performance-m", time_to_live: 120 } });
    const refused = errorSchema.parse(await heroku.post(`/apps/${created.name}/dynos`, { body: { command: "bash", size: "performance-m" } }).catch((e: unknown) => e));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toEqual(expect.objectContaining({ id: "cannot_run_above_limit", message: "Cannot run more than 5 Performance-M size one-off dynos." }));
    await clock.advanceSeconds(90);
    let stats = sim.appStats(created.name);
    expect(stats.jobs.completed).toBe(4);
    expect(stats.oneOff.running).toBeLessThanOrEqual(4);
    await clock.advanceSeconds(200);
    stats = sim.appStats(created.name);
    expect(stats.oneOff).toMatchObject({ started: 5, exited: 5, running: 0, peak: 5 });
    expect(stats.oneOff.expired).toBeGreaterThanOrEqual(3);
    expect(stats.jobs.killed).toBe(0);
    expect(stats.usage.dynoSeconds).toBeGreaterThan(0);
  });
});
