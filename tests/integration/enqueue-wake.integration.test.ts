import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHECKS_QUEUE, WORKER_PREFIX } from "@/lib/jobs/queue-names";
import { ManualClock } from "@/sim/clock";
import { startSim, type Sim } from "@/sim/start-sim";
import { createEngineTenant } from "../helpers/engine-fixture";

// The enqueue wake end to end on the Standard plan: a check takes the worker to zero, the
// report's answer tells the agent so, and the report an agent sends when a job is enqueued then
// starts a check at once, which starts a dyno.
let sim: Sim;
const clock = new ManualClock();
const queue = new Queue(CHECKS_QUEUE, { connection: { host: "127.0.0.1", port: 6379 }, prefix: WORKER_PREFIX });

beforeAll(async () => {
  sim = await startSim({ port: 0, clock, bootDelaySeconds: 0, shutdownGraceSeconds: 30, validateRequests: true });
  process.env.HEROKU_API_URL = sim.apiUrl;
  process.env.HEROKU_ID_URL = sim.idUrl;
});

afterAll(async () => {
  await sim.close();
  await queue.close();
  const { checksQueue } = await import("@/lib/checks/trigger-check");
  await checksQueue().close();
  const { disconnectWebRedis } = await import("@/lib/redis/connection");
  const { disconnectDb } = await import("@/lib/db/client");
  await disconnectWebRedis();
  await disconnectDb();
});

const answerSchema = z.object({ check_triggered: z.boolean(), scaled_to_zero: z.boolean().optional(), instructions: z.object({ quiet: z.array(z.string()) }).optional() });

describe("the enqueue wake (protocol 2, Standard plan)", () => {
  it("answers scaled_to_zero once a check has taken the worker to zero, and a report of new work then starts a check at once", async () => {
    const { POST } = await import("@/app/api/v1/reports/route");
    const { db } = await import("@/lib/db/client");
    const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
    const { RecordWriter } = await import("@/lib/checks/record-writer");

    const agentToken = randomBytes(32).toString("base64url");
    const tenant = await createEngineTenant(sim, {
      plan: "standard",
      push: true,
      quantity: 1,
      agentToken,
      rule: { maxQuantity: 5, downscale: { delaySeconds: 0 }, scaleToZero: { idleSeconds: 0, keepWarmAfterStarts: 0 }, prewarm: { growth: false } },
    });

    const report = async (depth: number, protocol = 2) => {
      const body = JSON.stringify({ protocol, process_type: "worker", queues: [{ name: "default", depth, latency_ms: depth > 0 ? 300 : null, busy: 0 }], dynos: [] });
      const headers = new Headers({ "content-type": "application/json", authorization: `Bearer ${agentToken}` });
      const response = await POST(new NextRequest("http://localhost/api/v1/reports", { method: "POST", body, headers }), { params: Promise.resolve({}) });
      expect(response.status).toBe(202);
      return answerSchema.parse(await response.json());
    };
    const checkNowJobs = async () =>
      (await queue.getJobs(["waiting", "delayed", "active", "completed", "failed", "prioritized"])).filter((job) => job.name === "check-now" && job.data.tenantId === tenant.tenantId);
    const writer = new RecordWriter();
    const { webRedis } = await import("@/lib/redis/connection");
    const check = () => runCheckBatch([{ tenantId: tenant.tenantId, dueAtMs: Date.now() }], { redis: webRedis(), writer });
    const quantity = () => sim.appStats(tenant.appName).formation.worker?.quantity;
    try {
      // Before any check nothing is known: no wake is asked for.
      expect(await report(0)).toMatchObject({ check_triggered: false, scaled_to_zero: false });
      await check();
      await check();
      expect(quantity()).toBe(0);
      // At zero: the answer says so, and an idle report starts nothing.
      expect(await report(0)).toMatchObject({ check_triggered: false, scaled_to_zero: true });
      expect(await checkNowJobs()).toHaveLength(0);
      // A job is enqueued: the agent's report starts a check at once, which starts a dyno.
      expect(await report(1)).toMatchObject({ check_triggered: true, scaled_to_zero: true });
      expect(await checkNowJobs()).toHaveLength(1);
      await check();
      expect(quantity()).toBe(1);
      expect(await report(1)).toMatchObject({ scaled_to_zero: false });
      // Protocol 1 agents get the answer they always had.
      expect((await report(0, 1)).scaled_to_zero).toBeUndefined();
    } finally {
      await writer.stop();
      await db.tenant.delete({ where: { id: tenant.tenantId } });
    }
  });
});
