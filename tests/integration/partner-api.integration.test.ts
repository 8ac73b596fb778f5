import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { POST as provision } from "@/app/heroku/resources/route";
import { DELETE as deprovision, PUT as changePlan } from "@/app/heroku/resources/[id]/route";
import { db, disconnectDb } from "@/lib/db/client";
import { parseEnv } from "@/lib/env";
import { saveToken } from "@/lib/heroku/tokens";
import { closeQueue } from "@/lib/jobs/enqueue";
import { herokuAuth, jsonRequest, provisionBody, routeContext } from "../helpers/partner-requests";

afterAll(async () => {
  await closeQueue();
  await disconnectDb();
});

const noParams = routeContext({});

async function provisioned(overrides: Record<string, unknown> = {}) {
  const body = provisionBody(overrides);
  const response = await provision(jsonRequest("POST", "/heroku/resources", body), noParams);
  expect(response.status).toBe(200);
  return { body, answer: (await response.json()) as { id: string; config: Record<string, string>; message: string } };
}

describe("Partner API authentication", () => {
  it.each([
    ["no header", {}],
    ["a wrong password", { authorization: herokuAuth("wrong-password") }],
    ["a wrong id", { authorization: herokuAuth(undefined, "not-ebbflow") }],
    ["a bearer token", { authorization: "Bearer abc" }],
  ])("answers 401 to %s, before reading the body", async (_label, headers) => {
    const response = await provision(jsonRequest("POST", "/heroku/resources", "{not json", headers), noParams);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("answers 401 for a resource that does not exist, rather than 404", async () => {
    const id = randomUUID();
    const put = await changePlan(jsonRequest("PUT", `/heroku/resources/${id}`, { plan: "pro" }, {}), routeContext({ id }));
    const del = await deprovision(jsonRequest("DELETE", `/heroku/resources/${id}`, undefined, {}), routeContext({ id }));
    expect([put.status, del.status]).toEqual([401, 401]);
  });
});

describe("provision", () => {
  it("answers with an id, exactly the manifest's config vars as absolute URLs, and a message", async () => {
    const { body, answer } = await provisioned();
    expect(answer.id).toBe(body.uuid);
    expect(Object.keys(answer.config)).toEqual(["EBBFLOW_URL"]);
    const url = new URL(answer.config.EBBFLOW_URL ?? "");
    expect(url.protocol).toMatch(/^https?:$/);
    expect(url.pathname).toBe("/api/v1/reports");
    expect(url.password).toMatch(/^ebb_/);
    expect(typeof answer.message).toBe("string");

    const tenant = await db.tenant.findUniqueOrThrow({ where: { herokuResourceId: String(body.uuid) } });
    expect(tenant).toMatchObject({ channel: "heroku", plan: "standard", state: "provisioning" });
    const audit = await db.auditLog.findMany({ where: { tenantId: tenant.id }, select: { action: true } });
    expect(audit.map((a) => a.action)).toContain("tenant.provisioned");
  });

  it("makes one tenant from 20 concurrent copies of a request, and gives them all the same answer", async () => {
    const body = provisionBody({ oauth_grant: { code: randomUUID(), expires_at: new Date(Date.now() + 300_000).toISOString(), type: "authorization_code" } });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => provision(jsonRequest("POST", "/heroku/resources", body), noParams)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const answers = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(answers).size).toBe(1);
    expect(await db.tenant.count({ where: { herokuResourceId: String(body.uuid) } })).toBe(1);
    const tenant = await db.tenant.findUniqueOrThrow({ where: { herokuResourceId: String(body.uuid) }, select: { id: true } });
    expect(await db.auditLog.count({ where: { tenantId: tenant.id, action: "tenant.provisioned" } })).toBe(1);
  });

  it("accepts the plan with the add-on's prefix and fields it does not know", async () => {
    await provisioned({ plan: "ebbflow:pro", some_future_field: { nested: true } });
  });

  it("answers 400 to malformed JSON and 422 naming what was wrong", async () => {
    const malformed = await provision(jsonRequest("POST", "/heroku/resources", "{\"uuid\":"), noParams);
    expect(malformed.status).toBe(400);
    const unknownPlan = await provision(jsonRequest("POST", "/heroku/resources", provisionBody({ plan: "platinum" })), noParams);
    expect(unknownPlan.status).toBe(422);
    expect((await unknownPlan.json()).message).toMatch(/Unknown plan "platinum"/);
    const noUuid = await provision(jsonRequest("POST", "/heroku/resources", { plan: "hobby" }), noParams);
    expect(noUuid.status).toBe(422);
    expect((await noUuid.json()).message).toMatch(/^uuid: /);
  });
});

describe("plan change", () => {
  it("switches the plan at once and records it", async () => {
    const { body } = await provisioned({ plan: "hobby" });
    const id = String(body.uuid);
    const response = await changePlan(jsonRequest("PUT", `/heroku/resources/${id}`, { plan: "pro", heroku_id: "app123@heroku.com" }), routeContext({ id }));
    expect(response.status).toBe(200);
    expect((await response.json()).message).toMatch(/Pro plan/);
    const tenant = await db.tenant.findUniqueOrThrow({ where: { herokuResourceId: id } });
    expect(tenant.plan).toBe("pro");
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "tenant.plan_changed" } });
    expect(audit.details).toEqual({ from: "hobby", to: "pro" });
  });

  it("treats a change to the current plan as a no-op", async () => {
    const { body } = await provisioned({ plan: "standard" });
    const id = String(body.uuid);
    const response = await changePlan(jsonRequest("PUT", `/heroku/resources/${id}`, { plan: "standard" }), routeContext({ id }));
    expect(response.status).toBe(200);
    const tenant = await db.tenant.findUniqueOrThrow({ where: { herokuResourceId: id }, select: { id: true } });
    expect(await db.auditLog.count({ where: { tenantId: tenant.id, action: "tenant.plan_changed" } })).toBe(0);
  });

  it("answers 422 to an unknown plan and 404 to an unknown resource", async () => {
    const { body } = await provisioned();
    const id = String(body.uuid);
    const unknownPlan = await changePlan(jsonRequest("PUT", `/heroku/resources/${id}`, { plan: "gold" }), routeContext({ id }));
    expect(unknownPlan.status).toBe(422);
    const other = randomUUID();
    const missing = await changePlan(jsonRequest("PUT", `/heroku/resources/${other}`, { plan: "pro" }), routeContext({ id: other }));
    expect(missing.status).toBe(404);
    const notUuid = await changePlan(jsonRequest("PUT", "/heroku/resources/nope", { plan: "pro" }), routeContext({ id: "nope" }));
    expect(notUuid.status).toBe(404);
  });
});

describe("deprovision", () => {
  it("answers 204, twice, revokes tokens and keeps history for 30 days", async () => {
    const { body } = await provisioned();
    const id = String(body.uuid);
    const tenant = await db.tenant.findUniqueOrThrow({ where: { herokuResourceId: id }, select: { id: true } });
    await saveToken(tenant.id, "scaling", { access_token: "tok-a", refresh_token: "tok-r", expires_in: 28_800 }, "test");
    await db.scaleEvent.create({
      data: { tenantId: tenant.id, processType: "worker", fromQuantity: 1, toQuantity: 2, reason: "test", outcome: "applied" },
    });

    const first = await deprovision(jsonRequest("DELETE", `/heroku/resources/${id}`, undefined), routeContext({ id }));
    const second = await deprovision(jsonRequest("DELETE", `/heroku/resources/${id}`, undefined), routeContext({ id }));
    expect([first.status, second.status]).toEqual([204, 204]);

    const after = await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(after.state).toBe("deprovisioned");
    expect(after.agentTokenHash).toBeNull();
    const keptMs = (after.purgeAfter?.getTime() ?? 0) - (after.deprovisionedAt?.getTime() ?? 0);
    expect(keptMs).toBe(30 * 86_400_000);
    const token = await db.herokuToken.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect(token.revokedAt).not.toBeNull();
    expect(token.accessTokenSealed).toBe("");
    expect(await db.scaleEvent.count({ where: { tenantId: tenant.id } })).toBe(1);
    expect(await db.auditLog.count({ where: { tenantId: tenant.id, action: "tenant.deprovisioned" } })).toBe(1);

    const replan = await changePlan(jsonRequest("PUT", `/heroku/resources/${id}`, { plan: "pro" }), routeContext({ id }));
    expect(replan.status).toBe(404);
  });
});

describe("secrets at rest", () => {
  it("stores no Heroku token, grant or agent token in plain text", async () => {
    const grant = `grant-${randomUUID()}`;
    const { body, answer } = await provisioned({ oauth_grant: { code: grant, expires_at: new Date(Date.now() + 300_000).toISOString() } });
    const tenant = await db.tenant.findUniqueOrThrow({ where: { herokuResourceId: String(body.uuid) }, select: { id: true } });
    const access = `access-${randomUUID()}`;
    const refresh = `refresh-${randomUUID()}`;
    await saveToken(tenant.id, "addon", { access_token: access, refresh_token: refresh, expires_in: 28_800 }, "test");
    const agentToken = new URL(answer.config.EBBFLOW_URL ?? "").password;

    const client = new pg.Client({ connectionString: parseEnv({ ...process.env, NODE_ENV: "test" }).DATABASE_URL });
    await client.connect();
    const rows = await client.query(
      `SELECT row_to_json(t)::text AS raw FROM tenants t WHERE id = $1
       UNION ALL SELECT row_to_json(h)::text FROM heroku_tokens h WHERE tenant_id = $1`,
      [tenant.id],
    );
    await client.end();
    const raw = rows.rows.map((r: { raw: string }) => r.raw).join("\n");
    expect(rows.rowCount).toBe(2);
    for (const secret of [grant, access, refresh, agentToken]) expect(raw).not.toContain(secret);
    expect(raw).toContain("v1.");
  });
});
