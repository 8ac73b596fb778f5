import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { deleteKeysWithPrefix } from "../../sim/jobs/delete-keys";
import { HerokuDriver } from "../../sim/driver/heroku-driver";
import { LOCAL_SECRETS } from "../../scripts/local-env";
import { provisionAddon, signInWithSso } from "./support/heroku";
import { simAdmin } from "./support/sim-admin";

const databaseUrl = process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test";
const redisUrl = "redis://127.0.0.1:6379";
const screenshots = "test-results/screenshots";

async function tenantState(resourceId: string): Promise<{ id: string; state: string } | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ id: string; state: string }>("SELECT id::text, state::text FROM tenants WHERE heroku_resource_id = $1", [resourceId]);
    return result.rows[0];
  } finally {
    await client.end();
  }
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}/dashboard-${name}.png`, fullPage: true });
}

/**
 * The dashboard end to end against the simulated Heroku: an add-on on the Pro plan (2 s
 * checks) for a sim app whose Sidekiq queue lives in local Redis, opened with single sign-on
 * and authorized. Through the pages: connect the queue (test connection shows live readings),
 * set rules (an invalid value is refused beside its field, in the browser and by the server),
 * watch a burst of jobs become a scale-up on the chart and in the events, pause, and check that
 * another tenant's member gets 404. Screenshots of every page land in test-results/screenshots.
 */
test("SSO → sources → rules → scale-up on the chart and in events → pause; isolation", async ({ page, baseURL, browser }) => {
  test.setTimeout(180_000);
  if (!baseURL) throw new Error("no baseURL");
  const namespace = `e2e-dash-${randomUUID().slice(0, 8)}`;
  const driver = new HerokuDriver({ addonBaseUrl: baseURL, password: LOCAL_SECRETS.HEROKU_ADDON_PASSWORD, ssoSalt: LOCAL_SECRETS.HEROKU_SSO_SALT });
  const account = await simAdmin<{ id: string; email: string }>("POST", "/accounts", { email: `dashboard-${Date.now()}@example.com` });
  const app = await simAdmin<{ id: string; name: string }>("POST", "/apps", {
    owner: account.id,
    processTypes: [{ type: "worker", size: "standard-1x", quantity: 0, concurrency: 5 }],
    jobs: { backend: "sidekiq", redisUrl, namespace },
  });

  try {
    // Heroku provisions the add-on on Pro; the worker exchanges the grant and activates the app.
    const addon = await simAdmin<{ id: string; name: string }>("POST", "/addons", { app: app.id, service: LOCAL_SECRETS.HEROKU_ADDON_ID, plan: "pro" });
    const grant = await simAdmin<{ code: string; expires_at: string }>("POST", `/addons/${addon.id}/grant`);
    const provisioned = await driver.provision({
      uuid: addon.id,
      name: addon.name,
      plan: "pro",
      region: "amazon-web-services::us-east-1",
      callback_url: `${process.env.E2E_SIM_URL}/addons/${addon.id}`,
      oauth_grant: { code: grant.code, expires_at: grant.expires_at, type: "authorization_code" },
      options: {},
      log_input_url: "https://token:secret@logs.example.com/logs",
      log_drain_token: "d.0123",
    });
    expect(provisioned.status).toBe(200);
    await expect.poll(async () => (await tenantState(addon.id))?.state, { timeout: 20_000 }).toBe("active");
    const tenantId = (await tenantState(addon.id))?.id ?? "";

    // Single sign-on, then "Authorize scaling" through the sim's OAuth as the app's owner.
    const fields = driver.ssoFields({ resourceId: addon.id, app: app.name, email: account.email, userId: account.id });
    await page.setContent(
      `<form method="post" action="${baseURL}/heroku/sso">${Object.entries(fields)
        .map(([name, value]) => `<input type="hidden" name="${name}" value="${String(value)}">`)
        .join("")}<button>Open Ebbflow</button></form>`,
    );
    await page.getByRole("button", { name: "Open Ebbflow" }).click();
    await expect(page.locator("#heroku-header")).toContainText(app.name);
    await simAdmin("PUT", "/session", { account: account.id });
    await page.getByRole("button", { name: "Authorize scaling" }).click();
    await expect(page.getByText("Scaling is authorized")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText("Nothing to chart yet.")).toBeVisible();

    // Sources: probe the app's Sidekiq namespace; "test connection" reads it live.
    await simAdmin("POST", `/apps/${app.name}/jobs`, { duration: 1, count: 1 });
    await page.getByRole("link", { name: "Sources" }).click();
    const source = page.getByTestId("source-worker");
    await source.getByLabel("Job library").selectOption("sidekiq");
    await source.getByLabel("Connection URL").fill(redisUrl);
    await source.getByLabel("Namespace").fill(namespace);
    await source.getByRole("button", { name: "Test connection" }).click();
    await expect(source.getByTestId("test-readings")).toContainText("jobs waiting");
    await expect(source.getByTestId("test-readings")).toContainText("default");
    await source.getByRole("button", { name: "Save connection" }).click();
    await expect(source.getByText("Connected: sidekiq at")).toContainText("127.0.0.1:6379");
    await expect(page.locator("body")).not.toContainText(`${redisUrl}`);
    await shoot(page, "sources");

    // Rules: an invalid maximum is refused beside its field; then a valid rule is saved.
    await page.getByRole("link", { name: "Rules" }).click();
    const rule = page.getByTestId("rule-worker");
    const max = rule.getByLabel("Maximum dynos");
    await max.fill("-1");
    await max.blur();
    await expect(rule.getByTestId("error-maxQuantity")).toContainText("Maximum dynos");
    await expect(max).toHaveAttribute("aria-invalid", "true");
    await rule.getByRole("button", { name: "Save rules" }).click();
    await expect(rule.getByText("Some values are not valid")).toBeVisible();
    await shoot(page, "rules-invalid");
    const refused = await page.request.post(`/apps/${tenantId}/rules/save`, { data: { rule: { processType: "worker", maxQuantity: -1 } } });
    expect(refused.status()).toBe(422);
    expect((await refused.json()).message).toContain("rule.maxQuantity");

    await max.fill("5");
    await rule.getByLabel("Jobs per dyno at once").fill("5");
    await rule.getByLabel("Downscale delay").fill("30");
    await expect(rule.getByTestId("error-maxQuantity")).toHaveCount(0);
    await rule.getByRole("button", { name: "Save rules" }).click();
    await expect(rule.getByText("Saved.")).toBeVisible();
    await shoot(page, "rules");

    // A burst of jobs: 60 jobs of 20 s at 5 per dyno needs 12 dynos; max 5 caps it.
    await simAdmin("POST", `/apps/${app.name}/jobs`, { duration: 20, count: 60 });
    await page.getByRole("link", { name: "Overview" }).click();
    const chart = page.getByTestId("chart-worker");
    await expect.poll(async () => Number(await chart.getAttribute("data-scale-ups")), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect(page.getByTestId("decision").first()).toContainText("worker 0 → 5");
    await expect(chart).toContainText("max 5");
    await shoot(page, "overview");
    await page.getByRole("button", { name: "Show the last 30 days" }).click();
    await expect(page.getByTestId("live-updated")).toContainText("one point per 180 min");

    // Events: filtered to applied changes, each with its reason.
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByLabel("Outcome").selectOption("applied");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/outcome=applied/);
    await expect(page.getByTestId("decision").first()).toContainText("worker 0 → 5");
    await expect(page.getByTestId("decision").first()).toContainText("per dyno");
    await shoot(page, "events");

    // Pause: the schedule stops at once and every page says so.
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("button", { name: "Pause autoscaling" }).click();
    await expect(page.getByText("Autoscaling is paused")).toBeVisible();
    await shoot(page, "settings");
    await page.getByRole("link", { name: "Overview" }).click();
    await expect(page.locator('[data-status="paused"]')).toBeVisible();

    await page.goto("/apps");
    await expect(page.getByTestId("app-row").filter({ hasText: app.name })).toContainText("Scaling paused");
    await shoot(page, "apps");

    // Another tenant's member: every page of this app is a 404.
    const intruder = await browser.newContext();
    const other = await provisionAddon(intruder.request);
    await signInWithSso(intruder, other.resourceId, `intruder-${Date.now()}@example.com`);
    for (const path of ["", "/rules", "/sources", "/events", "/settings"]) {
      const response = await intruder.request.get(`/apps/${tenantId}${path}`, { maxRedirects: 0 });
      expect(response.status(), path).toBe(404);
    }
    expect((await intruder.request.get(`/apps/${tenantId}/chart?range=1h`)).status()).toBe(404);
    await intruder.close();
  } finally {
    await deleteKeysWithPrefix(namespace, redisUrl);
  }
});
