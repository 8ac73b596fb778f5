import { expect, test } from "@playwright/test";

test("the landing page says what Ebbflow does and how to install it", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("worker dynos");
  await expect(page.getByText("heroku addons:create ebbflow")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Never kills a running job" })).toBeVisible();
  expect(response?.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  await page.screenshot({ path: "test-results/screenshots/landing.png", fullPage: true });
});

test("the health endpoint reports Postgres and Redis up", async ({ page }) => {
  const response = await page.goto("/api/health");
  expect(response?.status()).toBe(200);
  expect(await response?.json()).toEqual({ ok: true, db: "up", redis: "up" });
  expect(response?.headers()["cache-control"]).toContain("no-store");
});

test("a request id sent by the router comes back unchanged", async ({ request }) => {
  const response = await request.get("/api/health", { headers: { "x-request-id": "router-request-0001" } });
  expect(response.headers()["x-request-id"]).toBe("router-request-0001");
});
