import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSchemaRecorder } from "@/tests/helpers/heroku-schema";
import {
  callApi,
  deleteKeysWithPrefix,
  startTestSim,
  testRedisUrl,
  uniqueName,
  type TestSim,
} from "@/sim/testing/sim-test-kit";

describe("simulated Heroku: BullMQ apps", () => {
  const recorder = createSchemaRecorder();
  const prefix = uniqueName("ebbsim-bullmq");
  let harness: TestSim;
  let connection: Redis;
  let queue: Queue;

  beforeAll(async () => {
    harness = await startTestSim({ onApiResponse: recorder.onApiResponse });
    connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
    queue = new Queue("default", { connection, prefix });
  });

  afterEach(() => recorder.assertAllValid());

  afterAll(async () => {
    await harness.close();
    await queue.close();
    await connection.quit();
    await deleteKeysWithPrefix(prefix);
  });

  it("works jobs with real BullMQ workers and moves jobs killed on downscale back to wait", async () => {
    const { sim, clock } = harness;
    const owner = sim.createAccount();
    const token = sim.issueToken(owner.id, ["write"]).accessToken;
    const app = await sim.createApp({
      owner: owner.id,
      name: uniqueName("bullmq"),
      processTypes: [{ type: "worker", concurrency: 2 }],
      jobs: { backend: "bullmq", redisUrl: testRedisUrl, prefix },
    });
    for (let index = 0; index < 3; index += 1) await queue.add("report", { duration: 5 });
    expect(await sim.queueDepth(app.name)).toBe(3);

    const scale = (quantity: number) =>
      callApi(sim.apiUrl, token, "PATCH", `/apps/${app.name}/formation`, { updates: [{ type: "worker", quantity }] });
    expect((await scale(1)).status).toBe(200);
    await clock.advanceSeconds(30);
    await vi.waitFor(() => expect(sim.appStats(app.name).busy).toBe(2), { timeout: 10_000, interval: 20 });
    await clock.advanceSeconds(5);
    await vi.waitFor(() => expect(sim.appStats(app.name).jobs.started).toBe(3), { timeout: 10_000, interval: 20 });
    await clock.advanceSeconds(5);
    expect(sim.appStats(app.name).jobs.completed).toBe(3);
    await vi.waitFor(async () => expect(await queue.getCompletedCount()).toBe(3), { timeout: 10_000, interval: 20 });

    await queue.add("long", { duration: 600 });
    await queue.add("long", { duration: 600 });
    await vi.waitFor(() => expect(sim.appStats(app.name).busy).toBe(2), { timeout: 10_000, interval: 20 });
    expect(await queue.getActiveCount()).toBe(2);

    expect((await scale(0)).status).toBe(200);
    expect(sim.appStats(app.name).dynos.stopping).toBe(1);
    await clock.advanceSeconds(30);
    await vi.waitFor(() => expect(sim.appStats(app.name).dynos.stopping).toBe(0), { timeout: 10_000, interval: 20 });
    expect(sim.appStats(app.name).jobs.killed).toBe(2);
    expect(await queue.getWaitingCount()).toBe(2);
    expect(await queue.getFailedCount()).toBe(0);
  });
});
