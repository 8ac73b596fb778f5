import { expect, test } from "@playwright/test";
import { partnerAuth, provisionAddon, signInWithSso } from "../e2e/support/heroku";

/**
 * Findings 7 and 8 against the production build: what the browser and the router see, which the
 * handler-level tests cannot (proxy.ts, Next.js's own decoding, headers on real pages).
 */
test.describe("as a signed-in member", () => {
  let tenantId = "";

  test.beforeEach(async ({ context }) => {
    const addon = await provisionAddon(context.request);
    tenantId = await signInWithSso(context, addon.resourceId, `sec-${Date.now()}@example.com`);
  });

  test("a foreign page cannot change settings with the member's cookies (form post, text/plain)", async ({ page, baseURL }) => {
    // A page elsewhere posts a form whose text/plain body happens to be JSON, the classic trick.
    await page.setContent(
      `<form method="post" enctype="text/plain" action="${baseURL}/apps/${tenantId}/settings/scaling">` +
        `<input name='{"paused":true,"dryRun":true,"x":"' value='"}'><button>go</button></form>`,
    );
    const [answer] = await Promise.all([page.waitForResponse(`**/apps/${tenantId}/settings/scaling`), page.getByRole("button", { name: "go" }).click()]);
    expect(answer.status()).toBe(403);
    await page.goto(`/apps/${tenantId}/settings`);
    await expect(page.getByText(/Autoscaling is on|Pause autoscaling/).first()).toBeVisible();
  });

  test("a JSON route refuses text/plain from its own origin (415) and takes application/json", async ({ context, baseURL }) => {
    const origin = baseURL ?? "";
    const body = JSON.stringify({ paused: false, dryRun: false });
    const plain = await context.request.post(`/apps/${tenantId}/settings/scaling`, { headers: { origin, "content-type": "text/plain" }, data: body });
    expect(plain.status()).toBe(415);
    const json = await context.request.post(`/apps/${tenantId}/settings/scaling`, { headers: { origin, "content-type": "application/json" }, data: body });
    expect(json.status()).toBe(200);
    const foreign = await context.request.post(`/apps/${tenantId}/settings/scaling`, { headers: { origin: "https://evil.example", "content-type": "application/json" }, data: body });
    expect(foreign.status()).toBe(403);
  });

  test("pages carry a nonce CSP that forbids framing, and still work in Chromium under it", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    for (const path of ["", "/rules", "/sources", "/settings", "/events", "/billing"]) {
      const response = await page.goto(`/apps/${tenantId}${path}`);
      expect(response?.status()).toBe(200);
      const headers = response?.headers() ?? {};
      expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      await page.waitForLoadState("networkidle");
    }
    // Hydrated: a client component answers a click.
    await page.goto(`/apps/${tenantId}/settings`);
    await page.getByRole("button", { name: /Disconnect|Pause|Resume|Send a test/i }).first().waitFor();
    expect(violations).toEqual([]);
  });

  test("the events page refuses a cursor past int64 instead of failing", async ({ page }) => {
    for (const before of ["9223372036854775808", "9999999999999999999"]) {
      const response = await page.goto(`/apps/${tenantId}/events?before=${before}`);
      expect(response?.status()).toBe(200);
      await expect(page.getByText("The filter in the address was not understood")).toBeVisible();
      await expect(page.getByText("This page could not be loaded")).toHaveCount(0);
    }
  });

  test("test connection is limited per app: 429 with Retry-After after 20 a minute", async ({ context, baseURL }) => {
    // The limit counts per clock minute (a fixed window): 21 requests that straddle a minute's
    // end land in two windows and none is refused. Start early in a minute.
    const intoMinuteMs = Date.now() % 60_000;
    if (intoMinuteMs > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinuteMs + 500));
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) {
      const response = await context.request.post(`/apps/${tenantId}/sources/test`, { headers: { origin: baseURL ?? "" }, data: { mode: "probe" } });
      statuses.push(response.status());
      if (response.status() === 429) expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 20).every((status) => status === 422)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

test("a malformed %-escape in a path is a 400, never a 500", async ({ request }) => {
  for (const path of ["/apps/%zz", "/apps/%zz/chart", "/apps/%E0%A4%A/events"]) {
    expect((await request.get(path, { maxRedirects: 0 })).status(), path).toBe(400);
  }
  const put = await request.put("/heroku/resources/%zz", { headers: { authorization: partnerAuth }, data: { plan: "pro" } });
  expect(put.status()).toBe(400);
});

test("/metrics does not exist in production without METRICS_TOKEN", async ({ request }) => {
  const response = await request.get("/metrics");
  expect(response.status()).toBe(404);
  expect(await response.text()).not.toContain("ebbflow_");
});
