import Heroku from "heroku-client";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { useCheckedSim } from "@/tests/helpers/checked-sim";
import { deleteKeysWithPrefix, testRedisUrl, uniqueName } from "@/sim/testing/sim-test-kit";

const dynoListSchema = z.array(z.object({ name: z.string(), state: z.string(), type: z.string(), size: z.string() }));
const formationSchema = z.object({ type: z.string(), quantity: z.number(), size: z.string() });

describe("simulated Heroku: formation updates and dynos", () => {
  const checked = useCheckedSim({});
  const namespace = uniqueName("ebbsim-formation");
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(testRedisUrl);
  });

  afterAll(async () => {
    await redis.quit();
    await deleteKeysWithPrefix(namespace);
  });

  it("boots dynos after a batch update and drains the queue", async () => {
    const { sim, clock } = checked.harness;
    const account = sim.createAccount();
    const token = sim.issueToken(account.id, ["write"]).accessToken;
    const app = await sim.createApp({
      owner: account.id,
      name: uniqueName("formation"),
      processTypes: [{ type: "worker", size: "standard-2x", concurrency: 5 }],
      jobs: { backend: "sidekiq", redisUrl: testRedisUrl, namespace: `${namespace}:a` },
    });
    for (let index = 0; index < 40; index += 1) await sim.enqueue(app.name, { durationSeconds: 5 });
    const heroku = new Heroku({ token, host: sim.apiUrl });

    const updated = z
      .array(formationSchema)
      .parse(await heroku.patch(`/apps/${app.name}/formation`, { body: { updates: [{ type: "worker", quantity: 2 }] } }));
    expect(updated).toEqual([{ ...updated[0], type: "worker", quantity: 2, size: "Standard-2X" }]);

    const booting = dynoListSchema.parse(await heroku.get(`/apps/${app.id}/dynos`));
    expect(booting.map((dyno) => [dyno.name, dyno.state])).toEqual([
      ["worker.1", "starting"],
      ["worker.2", "starting"],
    ]);

    await clock.advanceSeconds(29);
    expect(dynoListSchema.parse(await heroku.get(`/apps/${app.name}/dynos`)).map((dyno) => dyno.state)).toEqual([
      "starting",
      "starting",
    ]);
    await clock.advanceSeconds(1);
    const up = dynoListSchema.parse(await heroku.get(`/apps/${app.name}/dynos`));
    expect(up.map((dyno) => dyno.state)).toEqual(["up", "up"]);
    expect(sim.appStats(app.name).busy).toBe(10);

    // Sidekiq's process records: one identity per dyno, hostname = $DYNO.
    const processes = await redis.smembers(`${namespace}:a:processes`);
    expect(processes.map((identity) => identity.split(":")[0]).sort()).toEqual(["worker.1", "worker.2"]);
    const first = processes[0] ?? "";
    expect(await redis.hget(`${namespace}:a:${first}`, "busy")).toBe("0");
    await clock.advanceSeconds(4);
    await clock.advanceSeconds(6); // next heartbeat, 10 s after boot
    expect(Number(await redis.hget(`${namespace}:a:${first}`, "busy"))).toBe(5);
    const work = await redis.hgetall(`${namespace}:a:${first}:work`);
    const entry = z.object({ queue: z.string(), payload: z.string(), run_at: z.number() }).parse(JSON.parse(Object.values(work)[0] ?? ""));
    expect(entry.queue).toBe("default");
    expect(z.object({ jid: z.string(), enqueued_at: z.number() }).parse(JSON.parse(entry.payload)).enqueued_at % 1).not.toBe(0);

    // 40 jobs × 5 s over 10 slots: 20 s of work after boot.
    await clock.advanceSeconds(10);
    expect(await sim.queueDepth(app.name)).toBe(0);
    expect(sim.appStats(app.name).jobs).toMatchObject({ completed: 40, killed: 0 });
    expect(Number(await redis.get(`${namespace}:a:stat:processed`))).toBeGreaterThan(0);

    // Two Standard-2X dynos for 50 s, billed per second from start.
    const usage = sim.appStats(app.name).usage;
    expect(usage.dynoSeconds).toBeCloseTo(100, 5);
    expect(usage.dollars).toBeCloseTo((0.069 * 100) / 3600, 8);

    const listed = z.array(formationSchema).parse(await heroku.get(`/apps/${app.name}/formation`));
    expect(listed).toEqual([expect.objectContaining({ type: "worker", quantity: 2 })]);
  });

  it("updates one process type and restarts dynos on a size change", async () => {
    const { sim, clock } = checked.harness;
    const account = sim.createAccount();
    const token = sim.issueToken(account.id, ["global"]).accessToken;
    const app = await sim.createApp({
      owner: account.id,
      name: uniqueName("single"),
      processTypes: [{ type: "worker", quantity: 1 }],
      jobs: { backend: "sidekiq", redisUrl: testRedisUrl, namespace: `${namespace}:b`, version: 8 },
    });
    const heroku = new Heroku({ token, host: sim.apiUrl });
    await clock.advanceSeconds(30);

    const resized = formationSchema.parse(
      await heroku.patch(`/apps/${app.name}/formation/worker`, { body: { quantity: 1, dyno_size: { name: "performance-m" } } }),
    );
    expect(resized).toMatchObject({ quantity: 1, size: "Performance-M" });
    const restarting = dynoListSchema.parse(await heroku.get(`/apps/${app.name}/dynos`));
    expect(restarting).toEqual([expect.objectContaining({ name: "worker.1", state: "starting", size: "Performance-M" })]);
    expect(formationSchema.parse(await heroku.get(`/apps/${app.name}/formation/worker`)).size).toBe("Performance-M");

    // Sidekiq 8 writes integer epoch milliseconds.
    await sim.enqueue(app.name, { durationSeconds: 1 });
    const raw = await redis.lindex(`${namespace}:b:queue:default`, 0);
    const job = z.object({ enqueued_at: z.number(), created_at: z.number() }).parse(JSON.parse(raw ?? "{}"));
    expect(Number.isInteger(job.enqueued_at)).toBe(true);
    expect(job.enqueued_at).toBe(clock.now());
  });
});
