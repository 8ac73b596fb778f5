import { randomUUID } from "node:crypto";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { HerokuDriver } from "../../sim/driver/heroku-driver";
import { LOCAL_SECRETS } from "../../scripts/local-env";
import { createAccountWithApp, simAdmin } from "./support/sim-admin";

const databaseUrl = process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test";

async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * The whole life of an add-on, driven the way Heroku drives it: provision with a grant the
 * simulated Heroku issued, the grant exchanged in the background, single sign-on, "Authorize
 * scaling" through Heroku OAuth in the browser, a plan change, and removal. Each rejection
 * the Partner API owes Heroku is asserted on the way.
 */
test("provision → grant exchange → SSO → authorize scaling → plan change → deprovision", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  if (!baseURL) throw new Error("no baseURL");
  const driver = new HerokuDriver({ addonBaseUrl: baseURL, password: LOCAL_SECRETS.HEROKU_ADDON_PASSWORD, ssoSalt: LOCAL_SECRETS.HEROKU_SSO_SALT });
  const wrongDriver = new HerokuDriver({ addonBaseUrl: baseURL, password: "not-the-password", ssoSalt: LOCAL_SECRETS.HEROKU_SSO_SALT });
  const { account, app } = await createAccountWithApp("lifecycle");

  // Heroku creates the add-on resource and its grant, then calls Ebbflow.
  const addon = await simAdmin<{ id: string; name: string }>("POST", "/addons", { app: app.id, service: LOCAL_SECRETS.HEROKU_ADDON_ID, plan: "hobby" });
  const grant = await simAdmin<{ code: string; expires_at: string }>("POST", `/addons/${addon.id}/grant`);
  const body = {
    uuid: addon.id,
    name: addon.name,
    plan: "hobby",
    region: "amazon-web-services::us-east-1",
    callback_url: `${process.env.E2E_SIM_URL}/addons/${addon.id}`,
    oauth_grant: { code: grant.code, expires_at: grant.expires_at, type: "authorization_code" as const },
    options: {},
    log_input_url: "https://token:secret@logs.example.com/logs",
    log_drain_token: "d.0123",
  };

  expect((await wrongDriver.provision(body)).status).toBe(401);
  const provisioned = await driver.provision(body);
  expect(provisioned.status).toBe(200);
  expect(provisioned.body).toMatchObject({ id: addon.id, config: { EBBFLOW_URL: expect.stringContaining("/api/v1/reports") } });
  expect((await driver.provision(body)).body).toEqual(provisioned.body);
  expect((await driver.provision({ ...body, uuid: randomUUID(), plan: "diamond" })).status).toBe(422);
  const malformed = await fetch(`${baseURL}/heroku/resources`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`ebbflow:${LOCAL_SECRETS.HEROKU_ADDON_PASSWORD}`).toString("base64")}`, "content-type": "application/json" },
    body: "{\"uuid\":",
  });
  expect(malformed.status).toBe(400);

  // The worker exchanges the grant within seconds and learns the app's name from Heroku.
  await expect
    .poll(async () => (await query<{ state: string; app_name: string }>("SELECT state, app_name FROM tenants WHERE heroku_resource_id = $1", [addon.id]))[0], { timeout: 20_000 })
    .toEqual({ state: "active", app_name: app.name });
  const [token] = await query<{ kind: string; access_token_sealed: string }>(
    "SELECT t.kind::text AS kind, t.access_token_sealed FROM heroku_tokens t JOIN tenants n ON n.id = t.tenant_id WHERE n.heroku_resource_id = $1",
    [addon.id],
  );
  expect(token?.kind).toBe("addon");
  expect(token?.access_token_sealed).toMatch(/^v1\./);

  // Single sign-on from the Heroku dashboard, as a form post in the browser.
  const userId = account.id;
  const fields = driver.ssoFields({ resourceId: addon.id, app: app.name, email: account.email, userId });
  await page.setContent(
    `<form method="post" action="${baseURL}/heroku/sso">${Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${String(value)}">`)
      .join("")}<button>Open Ebbflow</button></form>`,
  );
  await page.getByRole("button", { name: "Open Ebbflow" }).click();
  await expect(page.locator("#heroku-header")).toContainText(app.name);
  await expect(page.getByRole("heading", { name: "Scaling is not authorized" })).toBeVisible();
  const sso = await fetch(`${baseURL}/heroku/sso`, { method: "POST", body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])), redirect: "manual" });
  expect(sso.status).toBe(403);

  // Authorize scaling: Heroku OAuth in the browser; the sim approves as the app's owner.
  await simAdmin("PUT", "/session", { account: account.id });
  await page.getByRole("button", { name: "Authorize scaling" }).click();
  await expect(page.getByText("Scaling is authorized")).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: "test-results/screenshots/app-authorized.png", fullPage: true });
  const tokens = await query<{ kind: string }>(
    "SELECT t.kind::text AS kind FROM heroku_tokens t JOIN tenants n ON n.id = t.tenant_id WHERE n.heroku_resource_id = $1 AND t.revoked_at IS NULL ORDER BY kind",
    [addon.id],
  );
  expect(tokens.map((t) => t.kind)).toEqual(["addon", "scaling"]);

  // Plan change: takes effect at once, the same plan again is a no-op, an unknown one is refused.
  expect((await wrongDriver.changePlan(addon.id, { plan: "pro" })).status).toBe(401);
  expect((await driver.changePlan(addon.id, { plan: "ebbflow:pro" })).status).toBe(200);
  expect((await driver.changePlan(addon.id, { plan: "ebbflow:pro" })).status).toBe(200);
  expect((await driver.changePlan(addon.id, { plan: "ebbflow:gold" })).status).toBe(422);
  expect((await driver.changePlan(randomUUID(), { plan: "pro" })).status).toBe(404);
  const [tenant] = await query<{ id: string; plan: string }>("SELECT id::text, plan FROM tenants WHERE heroku_resource_id = $1", [addon.id]);
  expect(tenant?.plan).toBe("pro");

  // Removal: 204 twice, checks stop, tokens revoked, the dashboard page is gone, history kept.
  expect((await wrongDriver.deprovision(addon.id)).status).toBe(401);
  expect((await driver.deprovision(addon.id)).status).toBe(204);
  expect((await driver.deprovision(addon.id)).status).toBe(204);
  const live = await query<{ count: string }>("SELECT count(*) FROM heroku_tokens WHERE tenant_id = $1 AND revoked_at IS NULL", [tenant?.id]);
  expect(live[0]?.count).toBe("0");
  const response = await page.goto(`/apps/${tenant?.id}`);
  expect(response?.status()).toBe(404);
  const audit = await query<{ action: string }>("SELECT action FROM audit_logs WHERE tenant_id = $1 ORDER BY id", [tenant?.id]);
  expect(audit.map((a) => a.action)).toEqual(
    expect.arrayContaining(["tenant.provisioned", "token.granted", "membership.created", "session.sso", "tenant.plan_changed", "tenant.deprovisioned", "token.revoked"]),
  );
});
