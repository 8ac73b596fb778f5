import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import BillingPage from "@/app/apps/[tenantId]/billing/page";
import AppLayout from "@/app/apps/[tenantId]/layout";
import { encodeSession, sessionCookieName } from "@/lib/auth/session-token";
import { monthStartUtc } from "@/lib/billing/monthly-savings";
import { db, disconnectDb } from "@/lib/db/client";
import { startStripeFake, type StripeFake } from "../helpers/stripe-fake";

const cookieJar = vi.hoisted(() => ({ token: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (cookieJar.token && name === sessionCookieName() ? { name, value: cookieJar.token } : undefined),
    has: (name: string) => Boolean(cookieJar.token) && name === sessionCookieName(),
  }),
}));

let fake: StripeFake;

beforeAll(async () => {
  fake = await startStripeFake();
  vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_ebbflow");
  vi.stubEnv("STRIPE_API_URL", fake.url);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.close();
  await disconnectDb();
});

async function memberOf(channel: "heroku" | "direct", plan: string) {
  const suffix = randomUUID().slice(0, 8);
  const user = await db.user.create({ data: { email: `page-${suffix}@example.com` } });
  const tenant = await db.tenant.create({
    data: { channel, appName: `page-${suffix}`, plan, state: "active", createdAt: new Date(Date.UTC(2020, 0, 1)) },
  });
  await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
  cookieJar.token = await encodeSession({ sub: user.id, email: user.email, via: "heroku" });
  return { tenantId: tenant.id, userId: user.id, appName: tenant.appName };
}

/** The page inside the app's layout, as Next.js renders it (the payment banner is the layout's). */
async function render(tenantId: string): Promise<string> {
  const params = Promise.resolve({ tenantId });
  return renderToStaticMarkup(await AppLayout({ params, children: await BillingPage({ params }) }));
}

describe("the billing page", () => {
  it("shows an add-on app's Heroku plan, its savings and a downgrade notice", async () => {
    const { tenantId, appName } = await memberOf("heroku", "standard");
    await db.processRule.create({ data: { tenantId, processType: "worker", maxDynos: 4, settings: { dynoSize: "standard-2x" } } });
    const since = new Date(Math.max(monthStartUtc(new Date()).getTime(), Date.now() - 3_600_000));
    await db.scaleEvent.create({
      data: { tenantId, processType: "worker", fromQuantity: 0, toQuantity: 2, reason: "backlog", outcome: "applied", occurredAt: since },
    });
    await db.auditLog.create({
      data: { tenantId, actor: "heroku", action: "billing.downgraded", details: { message: "The Hobby plan autoscales 1 process type: urgent is paused (rules kept)." } },
    });

    const html = await render(tenantId);
    expect(html).toContain("Standard plan, $29.00 a month, billed by Heroku");
    expect(html).toContain(`heroku addons:upgrade ebbflow:&lt;plan&gt; -a ${appName}`);
    expect(html).toContain("urgent is paused (rules kept)");
    expect(html).toContain("standard-2x");
    expect(html).not.toContain("Invoices");
  });

  it("shows a direct owner the suspension banner, plan buttons and invoices", async () => {
    const { tenantId, userId } = await memberOf("direct", "pro");
    const customer = await fetch(`${fake.url}/v1/customers`, {
      method: "POST",
      headers: { authorization: "Bearer sk_test_ebbflow", "content-type": "application/x-www-form-urlencoded" },
      body: "email=page%40example.com",
    }).then((response) => response.json() as Promise<{ id: string }>);
    await db.stripeCustomer.create({ data: { userId, customerId: customer.id } });
    await db.tenantSubscription.create({
      data: { tenantId, customerId: customer.id, plan: "pro", status: "suspended", graceUntil: new Date(), suspendedAt: new Date() },
    });

    const html = await render(tenantId);
    expect(html).toContain("Autoscaling is paused because a payment failed");
    expect(html).toContain(`action="/apps/${tenantId}/billing/checkout"`);
    expect(html).toContain(`action="/apps/${tenantId}/billing/portal"`);
    expect(html).toContain("No invoices yet.");
  });
});
