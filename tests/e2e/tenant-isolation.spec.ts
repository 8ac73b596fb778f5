import { expect, test } from "@playwright/test";
import { provisionAddon, signInWithSso } from "./support/heroku";
import { discoverTenantRoutes, type TenantRoute } from "./support/tenant-routes";

/**
 * Every tenant-scoped page and handler, walked as nobody and as a member of another tenant.
 * A new route under [tenantId] that this list does not name fails the first test: add it here,
 * with a body that would be valid, so the guard is what answers.
 */
const requestBodies: Record<string, unknown> = {
  "POST /apps/[tenantId]/billing/checkout": { plan: "standard" },
  "POST /apps/[tenantId]/billing/portal": {},
  "POST /apps/[tenantId]/rules/tune": { rule: { processType: "worker" } },
};

test("every tenant-scoped route goes through the tenant guard", () => {
  const routes = discoverTenantRoutes();
  expect(routes.length).toBeGreaterThan(0);
  for (const route of routes) {
    expect(route.source, `${route.pattern} must call requireTenant or requireTenantPage`).toMatch(/requireTenant(Page)?\(/);
  }
});

test.describe("tenant isolation", () => {
  let victimTenantId = "";
  let victimAppName = "";
  const routes = discoverTenantRoutes();

  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext();
    const victim = await provisionAddon(context.request);
    victimAppName = victim.name;
    victimTenantId = await signInWithSso(context, victim.resourceId, `victim-${Date.now()}@example.com`);
    await context.close();
  });

  const urlFor = (route: TenantRoute) => route.pattern.replace("[tenantId]", victimTenantId);

  for (const route of routes) {
    test(`${route.method} ${route.pattern} refuses nobody`, async ({ playwright, baseURL }) => {
      const anonymous = await playwright.request.newContext({ baseURL });
      const response = await anonymous.fetch(urlFor(route), {
        method: route.method,
        data: requestBodies[`${route.method} ${route.pattern}`],
        maxRedirects: 0,
      });
      if (route.kind === "page") {
        expect([303, 307]).toContain(response.status());
        expect(response.headers()["location"]).toContain("/signin");
      } else {
        expect(response.status()).toBe(401);
      }
      await anonymous.dispose();
    });

    test(`${route.method} ${route.pattern} answers 404 to another tenant's member`, async ({ browser }) => {
      const context = await browser.newContext();
      const other = await provisionAddon(context.request);
      await signInWithSso(context, other.resourceId, `intruder-${Date.now()}@example.com`);
      const response = await context.request.fetch(urlFor(route), {
        method: route.method,
        data: requestBodies[`${route.method} ${route.pattern}`],
        maxRedirects: 0,
      });
      expect(response.status()).toBe(404);
      expect(await response.text()).not.toContain(victimAppName);
      await context.close();
    });
  }
});
