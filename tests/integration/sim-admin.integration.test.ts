import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { useCheckedSim } from "@/tests/helpers/checked-sim";
import { callApi, deleteKeysWithPrefix, testRedisUrl, uniqueName } from "@/sim/testing/sim-test-kit";

async function admin(baseUrl: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: z.unknown().parse(await response.json()) };
}

describe("simulated Heroku: admin API", () => {
  const checked = useCheckedSim({ bootDelaySeconds: 10 });
  const namespace = uniqueName("ebbsim-admin");

  afterAll(async () => {
    await deleteKeysWithPrefix(namespace);
  });

  it("sets up an account, token, app and jobs, and advances the manual clock", async () => {
    const { sim } = checked.harness;
    const account = z
      .object({ id: z.string(), email: z.string() })
      .parse((await admin(sim.adminUrl, "POST", "/accounts", { email: `${namespace}@example.com` })).body);
    const token = z
      .object({ access_token: z.string() })
      .parse((await admin(sim.adminUrl, "POST", "/tokens", { account: account.email, scopes: ["global"] })).body);
    const appName = uniqueName("admin");
    const created = await admin(sim.adminUrl, "POST", "/apps", {
      name: appName,
      owner: account.id,
      processTypes: [{ type: "worker", quantity: 1, concurrency: 3 }],
      jobs: { backend: "sidekiq", redisUrl: testRedisUrl, namespace },
    });
    expect(created.status).toBe(201);
    expect((await admin(sim.adminUrl, "POST", `/apps/${appName}/jobs`, { duration: 4, count: 6 })).body).toMatchObject({
      enqueued: 6,
    });
    expect((await admin(sim.adminUrl, "POST", "/apps", { name: "x", owner: account.id })).status).toBe(422);

    expect((await admin(sim.adminUrl, "POST", "/clock/advance", { seconds: 10 })).status).toBe(200);
    const dynos = await callApi(sim.apiUrl, token.access_token, "GET", `/apps/${appName}/dynos`);
    expect(dynos.body).toEqual([expect.objectContaining({ name: "worker.1", state: "up" })]);

    await admin(sim.adminUrl, "POST", "/clock/advance", { seconds: 8 });
    const summary = z
      .object({ queueDepth: z.record(z.string(), z.number()), stats: z.object({ jobs: z.object({ completed: z.number() }) }) })
      .parse((await admin(sim.adminUrl, "GET", `/apps/${appName}`)).body);
    expect(summary.queueDepth).toEqual({ default: 0 });
    expect(summary.stats.jobs.completed).toBe(6);

    expect((await admin(sim.adminUrl, "PUT", `/rate-limits/${account.id}`, { remaining: 3 })).body).toEqual({ remaining: 3 });
    expect((await callApi(sim.apiUrl, token.access_token, "GET", "/account")).headers.get("RateLimit-Remaining")).toBe("2");
    expect((await admin(sim.adminUrl, "GET", "")).body).toMatchObject({ apiUrl: sim.apiUrl, idUrl: sim.idUrl });
  });
});
