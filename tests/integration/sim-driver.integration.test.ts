import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSchemaRecorder } from "@/tests/helpers/heroku-schema";
import { HerokuDriver } from "@/sim/driver/heroku-driver";
import { provisionThroughSim } from "@/sim/driver/provision-through-sim";
import { callApi, startTestSim, uniqueName, type TestSim } from "@/sim/testing/sim-test-kit";

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

const provisionBodySchema = z
  .object({
    uuid: z.uuid(),
    name: z.string(),
    plan: z.literal("standard"),
    region: z.literal("amazon-web-services::us-east-1"),
    callback_url: z.url(),
    oauth_grant: z.object({ code: z.string(), expires_at: z.string(), type: z.literal("authorization_code") }).strict(),
    options: z.record(z.string(), z.string()),
    log_input_url: z.string(),
    log_drain_token: z.string(),
  })
  .strict();

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => resolve(body));
  });
}

const sha = (algorithm: string, value: string) => createHash(algorithm).update(value).digest("hex");

describe("Heroku driver: Partner API and SSO calls to the add-on", () => {
  const recorder = createSchemaRecorder();
  const salt = "sso-salt-for-tests";
  const password = "manifest-password";
  let harness: TestSim;
  let addonServer: Server;
  let addonUrl = "";
  const received: Recorded[] = [];
  let grantExchange: unknown = null;

  beforeAll(async () => {
    harness = await startTestSim({ onApiResponse: recorder.onApiResponse });
    // A stand-in add-on: records calls and, on provision, exchanges the grant and sets a config var.
    addonServer = createServer((request, response) => {
      void (async () => {
        const body = await readBody(request);
        const path = request.url ?? "";
        received.push({
          method: request.method ?? "",
          path,
          authorization: request.headers.authorization,
          contentType: request.headers["content-type"],
          body,
        });
        if (request.method === "POST" && path === "/heroku/resources") {
          const provision = provisionBodySchema.parse(JSON.parse(body));
          const token = await fetch(`${harness.sim.idUrl}/oauth/token`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              grant_type: "authorization_code",
              code: provision.oauth_grant.code,
              client_secret: "partner-secret",
            }).toString(),
          });
          grantExchange = await token.json();
          const accessToken = z.object({ access_token: z.string() }).parse(grantExchange).access_token;
          await callApi(harness.sim.apiUrl, accessToken, "PATCH", `/addons/${provision.uuid}/config`, {
            config: [{ name: "EBBFLOW_URL", value: "https://ebbflow.example/r/1" }],
          });
          response.writeHead(200, { "Content-Type": "application/json" });
          response.end(JSON.stringify({ id: "ebb-res-1", message: "Ebbflow is ready" }));
          return;
        }
        if (request.method === "POST" && path === "/heroku/sso") {
          response.writeHead(302, { Location: "/dashboard" });
          response.end();
          return;
        }
        if (request.method === "DELETE") {
          response.writeHead(204);
          response.end();
          return;
        }
        response.writeHead(200, { "Content-Type": "application/json" });
        response.end("{}");
      })();
    });
    await new Promise<void>((resolve) => addonServer.listen(0, "127.0.0.1", resolve));
    addonUrl = `http://127.0.0.1:${(addonServer.address() as AddressInfo).port}`;
  });

  afterEach(() => recorder.assertAllValid());

  afterAll(async () => {
    await harness.close();
    await new Promise<void>((resolve) => addonServer.close(() => resolve()));
  });

  it("provisions with Basic auth and a one-time grant, changes plan, signs in and deprovisions", async () => {
    const { sim } = harness;
    const owner = sim.createAccount({ email: `${uniqueName("owner")}@example.com` });
    const app = await sim.createApp({ owner: owner.id, name: uniqueName("driver") });
    const { service } = sim.registerAddonService({ name: uniqueName("ebbflow"), clientSecret: "partner-secret" });
    const driver = new HerokuDriver({ addonBaseUrl: addonUrl, password, ssoSalt: salt, now: () => sim.clock.now() });

    const { addon, request, response } = await provisionThroughSim(sim, driver, {
      app: app.name,
      service: service.name,
      plan: "standard",
      options: { queues: "default" },
    });
    expect(response.status).toBe(200);
    const provision = received.find((call) => call.path === "/heroku/resources");
    expect(provision?.authorization).toBe(`Basic ${Buffer.from(`ebbflow:${password}`).toString("base64")}`);
    expect(provisionBodySchema.parse(JSON.parse(provision?.body ?? "{}"))).toEqual(request);
    expect(grantExchange).toMatchObject({ token_type: "Bearer", expires_in: 28799 });
    expect(sim.world.addons.get(addon.id)).toMatchObject({ state: "provisioned", providerId: "ebb-res-1" });
    expect(Object.fromEntries(addon.configVars)).toEqual({ EBBFLOW_URL: "https://ebbflow.example/r/1" });

    expect((await driver.changePlan(addon.id, { plan: "pro", heroku_id: `app-${app.id}@heroku.com` })).status).toBe(200);
    expect(received.at(-1)).toMatchObject({ method: "PUT", path: `/heroku/resources/${addon.id}` });
    expect(JSON.parse(received.at(-1)?.body ?? "{}")).toMatchObject({ plan: "pro" });

    const sso = await driver.sso({ resourceId: addon.id, providerId: "ebb-res-1", app: app.name, email: owner.email, userId: owner.id });
    expect(sso.status).toBe(302);
    const form = new URLSearchParams(received.at(-1)?.body ?? "");
    expect(received.at(-1)?.contentType).toBe("application/x-www-form-urlencoded");
    const timestamp = form.get("timestamp") ?? "";
    expect(Number(timestamp)).toBe(Math.floor(sim.clock.now() / 1000));
    expect(form.get("resource_token")).toBe(sha("sha1", `${addon.id}:${salt}:${timestamp}`));
    expect(form.get("user_scoped_resource_token")).toBe(sha("sha256", `${addon.id}:${salt}:${timestamp}:${owner.id}:${owner.email}`));
    expect(form.get("token")).toBe(sha("sha1", `ebb-res-1:${salt}:${timestamp}`));
    expect(Object.fromEntries(form)).toMatchObject({
      resource_id: addon.id,
      id: "ebb-res-1",
      app: app.name,
      context_app: app.name,
      email: owner.email,
      user_id: owner.id,
    });
    expect(form.get("nav-data")).toBeTruthy();

    expect((await driver.deprovision(addon.id)).status).toBe(204);
    expect(received.at(-1)).toMatchObject({ method: "DELETE", path: `/heroku/resources/${addon.id}` });
  });
});
