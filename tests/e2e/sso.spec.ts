import { expect, test } from "@playwright/test";
import { provisionAddon, ssoFields } from "./support/heroku";

test("single sign-on lands on the app's page with the Heroku header and nav cookie", async ({ page, context, baseURL }) => {
  const addon = await provisionAddon(context.request);
  const fields = ssoFields(addon.resourceId, `sso-${Date.now()}@example.com`);
  // Heroku posts a form from its own page; a page that submits one does the same in the browser.
  await page.setContent(
    `<form method="post" action="${baseURL}/heroku/sso">` +
      Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`).join("") +
      `<button type="submit">Open Ebbflow</button></form>`,
  );
  await page.getByRole("button", { name: "Open Ebbflow" }).click();
  await expect(page).toHaveURL(/\/apps\/[0-9a-f-]{36}$/);
  await expect(page.locator("#heroku-header")).toContainText(addon.name);
  await expect(page.getByRole("heading", { name: "Scaling is not authorized" })).toBeVisible();
  const navCookie = (await context.cookies()).find((cookie) => cookie.name === "heroku-nav-data");
  expect(navCookie).toMatchObject({ value: "e2e-nav-data", path: "/" });
  await page.screenshot({ path: "test-results/screenshots/app-after-sso.png", fullPage: true });
});

test("single sign-on refuses a replayed, forged or stale token with 403", async ({ request }) => {
  const addon = await provisionAddon(request);
  const fields = ssoFields(addon.resourceId, `replay-${Date.now()}@example.com`);
  expect((await request.post("/heroku/sso", { form: fields, maxRedirects: 0 })).status()).toBe(303);
  expect((await request.post("/heroku/sso", { form: fields, maxRedirects: 0 })).status()).toBe(403);

  const forged = { ...ssoFields(addon.resourceId, "forger@example.com"), user_scoped_resource_token: "0".repeat(64) };
  expect((await request.post("/heroku/sso", { form: forged, maxRedirects: 0 })).status()).toBe(403);

  const stale = ssoFields(addon.resourceId, "late@example.com", undefined, Math.floor(Date.now() / 1000) - 301);
  expect((await request.post("/heroku/sso", { form: stale, maxRedirects: 0 })).status()).toBe(403);

  // A sign-in on GET is login CSRF: the legacy query-string form is refused, even well signed.
  const legacy = new URLSearchParams(ssoFields(addon.resourceId, `legacy-${Date.now()}@example.com`));
  expect((await request.get(`/heroku/sso?${legacy}`, { maxRedirects: 0 })).status()).toBe(400);
});
