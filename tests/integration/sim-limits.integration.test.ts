import Heroku from "heroku-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSchemaRecorder } from "@/tests/helpers/heroku-schema";
import { callApi, herokuClientError, startTestSim, uniqueName, type TestSim } from "@/sim/testing/sim-test-kit";

describe("simulated Heroku: scaling limits, validation and injected faults", () => {
  const recorder = createSchemaRecorder();
  let harness: TestSim;
  let random = 1;

  beforeAll(async () => {
    harness = await startTestSim({ onApiResponse: recorder.onApiResponse, random: () => random });
  });

  afterEach(() => {
    harness.sim.faults.clear();
    recorder.assertAllValid();
  });

  afterAll(async () => {
    await harness.close();
  });

  async function appWith(processTypes: { type: string; size: string }[]) {
    const { sim } = harness;
    const owner = sim.createAccount();
    const app = await sim.createApp({ owner: owner.id, name: uniqueName("limits"), processTypes });
    const token = sim.issueToken(owner.id, ["global"]).accessToken;
    return { app, token, heroku: new Heroku({ token, host: sim.apiUrl }) };
  }

  it("refuses a Basic dyno set to 2 with 422 cannot_run_above_limit naming the limit", async () => {
    const { app, heroku } = await appWith([{ type: "worker", size: "basic" }]);
    const error = await herokuClientError(
      heroku.patch(`/apps/${app.name}/formation`, { body: { updates: [{ type: "worker", quantity: 2 }] } }),
    );
    expect(error).toMatchObject({ status: 422, id: "cannot_run_above_limit" });
    expect(error.message).toContain("1 Basic");
    expect(harness.sim.appStats(app.name).formation.worker?.quantity).toBe(0);
    await heroku.patch(`/apps/${app.name}/formation/worker`, { body: { quantity: 1 } });
  });

  it("limits Performance dynos to 10 per process type and apps to 100 dynos, all or nothing", async () => {
    const { app, heroku } = await appWith([
      { type: "worker", size: "performance-m" },
      { type: "batch", size: "standard-1x" },
    ]);
    const performance = await herokuClientError(heroku.patch(`/apps/${app.name}/formation/worker`, { body: { quantity: 11 } }));
    expect(performance).toMatchObject({ status: 422, id: "cannot_run_above_limit" });
    expect(performance.message).toContain("10 Performance-M");

    const total = await herokuClientError(
      heroku.patch(`/apps/${app.name}/formation`, {
        body: { updates: [{ type: "worker", quantity: 10 }, { type: "batch", quantity: 91 }] },
      }),
    );
    expect(total).toMatchObject({ status: 422, id: "cannot_run_above_limit" });
    expect(total.message).toContain("100 dynos");
    expect(harness.sim.appStats(app.name).formation).toEqual({
      worker: { quantity: 0, size: "performance-m" },
      batch: { quantity: 0, size: "standard-1x" },
    });
    // Downsizing to Eco in the same batch is checked against Eco's limit.
    const eco = await herokuClientError(
      heroku.patch(`/apps/${app.name}/formation`, {
        body: { updates: [{ type: "batch", quantity: 3, dyno_size: { name: "eco" } }] },
      }),
    );
    expect(eco.message).toContain("1 Eco");
  });

  it("answers unknown process types, bad bodies and missing versions like Heroku", async () => {
    const { sim } = harness;
    const { app, token } = await appWith([{ type: "worker", size: "standard-1x" }]);
    const path = `/apps/${app.name}/formation`;
    expect(await callApi(sim.apiUrl, token, "PATCH", path, { updates: [{ type: "wrkr", quantity: 1 }] })).toMatchObject({
      status: 404,
      body: { id: "not_found" },
    });
    // Heroku takes a quantity of digits sent as a string (the CLI sends "3"), not other strings.
    expect(await callApi(sim.apiUrl, token, "PATCH", path, { updates: [{ type: "worker", quantity: "3" }] })).toMatchObject({
      status: 200,
      body: [{ type: "worker", quantity: 3 }],
    });
    expect(await callApi(sim.apiUrl, token, "PATCH", path, { updates: [{ type: "worker", quantity: "-1" }] })).toMatchObject({
      status: 200,
      body: [{ type: "worker", quantity: 2 }],
    });
    expect(await callApi(sim.apiUrl, token, "PATCH", path, { updates: [{ type: "worker", quantity: "three" }] })).toMatchObject({
      status: 422,
      body: { id: "invalid_params" },
    });
    expect(await callApi(sim.apiUrl, token, "PATCH", path, { updates: [{ type: "worker", quantity: 1, colour: "red" }] })).toMatchObject({
      status: 422,
      body: { id: "invalid_params" },
    });
    const unversioned = await fetch(`${sim.apiUrl}/account`, { headers: { Authorization: `Bearer ${token}` } });
    expect(unversioned.status).toBe(404);
    expect(await unversioned.json()).toMatchObject({ id: "not_found" });
  });

  it("refuses formation updates during a preboot fault and injects 5xx and latency", async () => {
    const { sim } = harness;
    const { app, token, heroku } = await appWith([{ type: "worker", size: "standard-1x" }]);
    sim.faults.set({ refuseFormationUpdates: true });
    const refused = await herokuClientError(heroku.patch(`/apps/${app.name}/formation/worker`, { body: { quantity: 2 } }));
    expect(refused).toMatchObject({ status: 409, id: "conflict" });
    expect(sim.appStats(app.name).formation.worker?.quantity).toBe(0);
    expect((await callApi(sim.apiUrl, token, "GET", `/apps/${app.name}/formation`)).status).toBe(200);

    sim.faults.set({ refuseFormationUpdates: { status: 422, id: "invalid_params" } });
    expect(await herokuClientError(heroku.patch(`/apps/${app.name}/formation/worker`, { body: { quantity: 2 } }))).toMatchObject({
      status: 422,
      id: "invalid_params",
    });

    sim.faults.clear();
    sim.faults.set({ serverErrorRate: 0.5 });
    random = 0.9;
    expect((await callApi(sim.apiUrl, token, "GET", "/account")).status).toBe(200);
    random = 0.1;
    expect(await callApi(sim.apiUrl, token, "GET", "/account")).toMatchObject({ status: 503, body: { id: "service_unavailable" } });
    random = 1;

    // Faults can also be set through the admin API; latency is real time.
    const admin = await fetch(`${sim.adminUrl}/faults`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ latencyMs: 150 }),
    });
    expect(admin.status).toBe(200);
    const started = Date.now();
    expect((await callApi(sim.apiUrl, token, "GET", "/account")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
