import { randomBytes, randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ManualClock } from "@/sim/clock";
import { startSim, type Sim } from "@/sim/start-sim";

// Protocol 2 end to end: the check asks the push agent to quiet dynos, the report's answer
// carries the instruction, and the quantity drops only once the agent reports them quiet and idle.
let sim: Sim;
const clock = new ManualClock();

beforeAll(async () => {
  sim = await startSim({ port: 0, clock, bootDelaySeconds: 0, shutdownGraceSeconds: 30, validateRequests: true });
  process.env.HEROKU_API_URL = sim.apiUrl;
  process.env.HEROKU_ID_URL = sim.idUrl;
});

afterAll(async () => {
  await sim.close();
  const { checksQueue } = await import("@/lib/checks/trigger-check");
  await checksQueue().close();
  const { disconnectWebRedis } = await import("@/lib/redis/connection");
  const { disconnectDb } = await import("@/lib/db/client");
  await disconnectWebRedis();
  await disconnectDb();
});

const answerSchema = z.object({ check_triggered: z.boolean(), instructions: z.object({ quiet: z.array(z.string()) }).optional() });

describe("quieting through the push agent (protocol 2)", () => {
  it("quiets worker.2 and worker.3 through the report's answer, then drops to 1 once they are quiet and idle", async () => {
    const { POST } = await import("@/app/api/v1/reports/route");
    const { db } = await import("@/lib/db/client");
    const { hashAgentToken } = await import("@/lib/queues/agent-token");
    const { saveToken } = await import("@/lib/heroku/tokens");
    const { rowFromRule } = await import("@/lib/dashboard/rule-record");
    const { processRuleSchema } = await import("@/lib/scaling/rules");
    const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
    const { RecordWriter } = await import("@/lib/checks/record-writer");

    const account = sim.createAccount({ email: `push-quiet-${randomUUID().slice(0, 8)}@example.com` });
    const app = await sim.createApp({ owner: account.id, processTypes: [{ type: "worker", size: "standard-1x", quantity: 3, concurrency: 2 }] });
    const agentToken = randomBytes(32).toString("base64url");
    const rule = processRuleSchema.parse({
      processType: "worker",
      minQuantity: 1,
      maxQuantity: 5,
      downscale: { delaySeconds: 0 },
      scaleToZero: { idleSeconds: 0, keepWarmAfterStarts: 0 },
      prewarm: { growth: false },
    });
    const tenant = await db.tenant.create({
      data: {
        channel: "heroku",
        herokuResourceId: randomUUID(),
        herokuAppId: app.id,
        appName: app.name,
        plan: "pro",
        state: "active",
        agentTokenHash: hashAgentToken(agentToken),
        processRules: { create: { processType: "worker", ...rowFromRule(rule, null) } },
        queueSources: { create: { processType: "worker", mode: "push" } },
      },
      select: { id: true },
    });
    const issued = sim.issueToken(account.id, ["identity", "write"]);
    await saveToken(tenant.id, "scaling", { access_token: issued.accessToken, refresh_token: issued.refreshToken, expires_in: issued.expiresInSeconds, user_id: issued.userId }, "test");

    const report = async (dynos: Array<{ name: string; quiet: boolean; busy: number }>) => {
      const body = JSON.stringify({ protocol: 2, process_type: "worker", queues: [{ name: "default", depth: 0, latency_ms: null, busy: 0 }], dynos });
      const headers = new Headers({ "content-type": "application/json", authorization: `Bearer ${agentToken}` });
      const response = await POST(new NextRequest("http://localhost/api/v1/reports", { method: "POST", body, headers }), { params: Promise.resolve({}) });
      expect(response.status).toBe(202);
      return answerSchema.parse(await response.json());
    };
    const writer = new RecordWriter();
    // Reports and instructions live in the app's Redis, the one the web process uses.
    const { webRedis } = await import("@/lib/redis/connection");
    const check = () => runCheckBatch([{ tenantId: tenant.id, dueAtMs: Date.now() }], { redis: webRedis(), writer });
    const quantity = () => sim.appStats(app.name).formation.worker?.quantity;
    try {
      const idle = (quiet: boolean) => ["worker.1", "worker.2", "worker.3"].map((name) => ({ name, quiet: quiet && name !== "worker.1", busy: 0 }));
      expect((await report(idle(false))).instructions?.quiet).toEqual([]);
      await check(); // learns the formation (3) and history
      await check(); // wants 1: quiets 2 and 3 instead of dropping
      expect(quantity()).toBe(3);
      expect((await report(idle(false))).instructions?.quiet).toEqual(["worker.2", "worker.3"]);
      await check(); // still not quiet: holds
      expect(quantity()).toBe(3);
      expect((await report(idle(false))).check_triggered).toBe(false);
      // worker.3 quiet and idle, worker.2 quiet but still running a job: drop to 2 only. The
      // report of a quiet idle dyno Ebbflow asked to quiet starts a check at once.
      const drained = await report([{ name: "worker.1", quiet: false, busy: 0 }, { name: "worker.2", quiet: true, busy: 1 }, { name: "worker.3", quiet: true, busy: 0 }]);
      expect(drained.check_triggered).toBe(true);
      await check();
      expect(quantity()).toBe(2);
      await report(idle(true));
      await check();
      expect(quantity()).toBe(1);
      const reasons = (await db.scaleEvent.findMany({ where: { tenantId: tenant.id, outcome: "applied" }, orderBy: { occurredAt: "asc" }, select: { reason: true } })).map((e) => e.reason);
      expect(reasons[0]).toMatch(/^worker 3 → 2: waiting for worker.2 to finish \(1 job still running/);
      expect(reasons[1]).toMatch(/^worker 2 → 1: .*1 quiet idle dyno removed/);
      expect(sim.appStats(app.name).jobs.killed).toBe(0);
    } finally {
      await writer.stop();
      await db.tenant.delete({ where: { id: tenant.id } });
    }
  });
});
