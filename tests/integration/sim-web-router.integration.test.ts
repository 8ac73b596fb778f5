import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type Sim } from "@/sim/start-sim";
import { callApi, uniqueName } from "@/sim/testing/sim-test-kit";

/**
 * The simulator's router in front of real web dynos: an Express app and a Rack app, each
 * started by its web dyno with PORT set, get Heroku's X-Request-Start, share the requests at
 * random, and a dyno stopped by a downscale gets no new request.
 */
const root = path.resolve(import.meta.dirname, "../..");
let sim: Sim;

beforeAll(async () => {
  sim = await startSim({ port: 0, bootDelaySeconds: 0.2, shutdownGraceSeconds: 5, webProcesses: { cwd: root } });
});

afterAll(async () => {
  await sim.close();
});

const apps = [
  { name: "express", command: "node tests/fixtures/web/express-app.mjs" },
  { name: "rack", command: "rackup tests/fixtures/web/rack-app.ru -s webrick -o 127.0.0.1 -p $PORT" },
];

async function routable(appName: string, count: number): Promise<void> {
  const router = sim.world.apps.get(appName).runtime.web?.router;
  await expect.poll(() => router?.routableDynos().length, { timeout: 30_000, interval: 100 }).toBe(count);
}

describe.each(apps)("the router in front of a real $name web dyno", ({ command }) => {
  it("stamps X-Request-Start, spreads requests over the dynos and stops sending to a stopping dyno", async () => {
    const account = sim.createAccount({ email: `${uniqueName("router")}@example.com` });
    const token = sim.issueToken(account.id, ["global"]);
    const app = await sim.createApp({
      owner: account.id,
      name: uniqueName("web"),
      processTypes: [{ type: "web", command, quantity: 2, concurrency: 2 }],
      config: { SERVICE_MS: "100" },
    });
    await routable(app.name, 2);
    const url = sim.routerUrl(app.name);

    const before = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 24 }, async () => {
        const response = await fetch(url);
        expect(response.status).toBe(200);
        return (await response.json()) as { dyno: string; requestStart: string };
      }),
    );
    expect(new Set(answers.map((answer) => answer.dyno))).toEqual(new Set(["web.1", "web.2"]));
    for (const answer of answers) {
      expect(Number(answer.requestStart)).toBeGreaterThanOrEqual(before);
      expect(Number(answer.requestStart)).toBeLessThanOrEqual(Date.now());
    }

    const scaled = await callApi(sim.apiUrl, token.accessToken, "PATCH", `/apps/${app.name}/formation/web`, { quantity: 1 });
    expect(scaled.status).toBe(200);
    await routable(app.name, 1);
    const after = await Promise.all(
      Array.from({ length: 12 }, async () => ((await (await fetch(url)).json()) as { dyno: string }).dyno),
    );
    expect(new Set(after)).toEqual(new Set(["web.1"]));
    // web.2 got SIGTERM and its process exited: the dyno is gone from the app.
    await expect.poll(() => sim.appStats(app.name).dynos, { timeout: 15_000, interval: 100 }).toEqual({ starting: 0, up: 1, stopping: 0 });
  });
});
