import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { POST as checkout } from "@/app/apps/[tenantId]/billing/checkout/route";
import { POST as portal } from "@/app/apps/[tenantId]/billing/portal/route";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { listOwnerInvoices } from "@/lib/billing/list-owner-invoices";
import { suspendOverdueTenants } from "@/lib/billing/suspend-overdue-tenants";
import { encodeSession, sessionCookieName } from "@/lib/auth/session-token";
import { DUE_KEY, INTERVAL_KEY, unscheduleTenant } from "@/lib/checks/due-set";
import { db, disconnectDb } from "@/lib/db/client";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";
import { requireTenant } from "@/lib/tenants/tenant-access";
import { signedWebhookRequest, startStripeFake, type StripeFake } from "../helpers/stripe-fake";

/** The signed-in user of the "request": route handlers read it through next/headers. */
const cookieJar = vi.hoisted(() => ({ token: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (cookieJar.token && name === sessionCookieName() ? { name, value: cookieJar.token } : undefined),
    has: (name: string) => Boolean(cookieJar.token) && name === sessionCookieName(),
  }),
}));

const WEBHOOK_SECRET = `whsec_${randomUUID().replaceAll("-", "")}`;
const PRICE_STANDARD = "price_standard_test";
const PRICE_PRO = "price_pro_test";
const DAY_MS = 86_400_000;

let fake: StripeFake;
/** Apps this file scheduled, taken off the shared check schedule at the end. */
const scheduled: string[] = [];

beforeAll(async () => {
  fake = await startStripeFake();
  vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_ebbflow");
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
  vi.stubEnv("STRIPE_API_URL", fake.url);
  vi.stubEnv("STRIPE_PRICE_STANDARD", PRICE_STANDARD);
  vi.stubEnv("STRIPE_PRICE_PRO", PRICE_PRO);
});

afterAll(async () => {
  for (const tenantId of scheduled) await unscheduleTenant(webRedis(), tenantId);
  vi.unstubAllEnvs();
  await fake.close();
  await disconnectWebRedis();
  await disconnectDb();
});

const routeContext = (tenantId: string) => ({ params: Promise.resolve({ tenantId }) });

function formPost(path: string, fields: Record<string, string>): NextRequest {
  return new NextRequest(new URL(path, "http://localhost:3000"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A directly connected app with its owner, signed in. */
async function directApp(options: { rules?: string[] } = {}) {
  const suffix = randomUUID().slice(0, 8);
  const user = await db.user.create({ data: { email: `owner-${suffix}@example.com` }, select: { id: true, email: true } });
  const tenant = await db.tenant.create({
    data: { channel: "direct", appName: `direct-${suffix}`, plan: "hobby", state: "active" },
    select: { id: true },
  });
  scheduled.push(tenant.id);
  await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
  for (const [index, processType] of (options.rules ?? []).entries()) {
    await db.processRule.create({
      data: { tenantId: tenant.id, processType, maxDynos: 3, createdAt: new Date(Date.now() - (10 - index) * 1000) },
    });
  }
  cookieJar.token = await encodeSession({ sub: user.id, email: user.email, via: "heroku" });
  return { tenantId: tenant.id, userId: user.id };
}

async function deliver(payload: string) {
  const response = await webhook(signedWebhookRequest(payload, WEBHOOK_SECRET), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as { outcome?: string; error?: string; message?: string } };
}

async function deliverEvent(type: string, object: Record<string, unknown>) {
  return deliver(fake.event(type, JSON.parse(JSON.stringify(object))).payload);
}

const sessionUrlSchema = z.string().regex(/\/c\/pay\/(cs_test_\w+)$/);

/** Owner chooses a paid plan, pays at Checkout; Stripe sends its events. Returns the subscription id. */
async function subscribe(tenantId: string, plan: "standard" | "pro") {
  const response = await checkout(formPost(`/apps/${tenantId}/billing/checkout`, { plan }), routeContext(tenantId));
  expect(response.status).toBe(303);
  const location = sessionUrlSchema.parse(response.headers.get("location"));
  const sessionId = location.split("/").pop() ?? "";
  const { session, subscription } = fake.completeCheckout(sessionId);
  expect((await deliverEvent("customer.subscription.created", subscription)).body.outcome).toBe("processed");
  const completed = fake.event("checkout.session.completed", session);
  expect((await deliver(completed.payload)).body.outcome).toBe("processed");
  return { subscriptionId: String(subscription.id), completedPayload: completed.payload };
}

async function billingOf(tenantId: string) {
  const [tenant, subscription] = await Promise.all([
    db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true, paused: true } }),
    db.tenantSubscription.findUnique({ where: { tenantId } }),
  ]);
  return { ...tenant, subscription };
}

describe("direct billing through Stripe", () => {
  it("checkout → subscription active → the app's plan active, with its schedule and invoices", async () => {
    const { tenantId, userId } = await directApp();
    const { subscriptionId } = await subscribe(tenantId, "pro");

    const after = await billingOf(tenantId);
    expect(after.plan).toBe("pro");
    expect(after.subscription).toMatchObject({ status: "active", subscriptionId, plan: "pro", graceUntil: null });
    const customer = await db.stripeCustomer.findUniqueOrThrow({ where: { userId } });
    expect(customer.subscriptionId).toBe(subscriptionId);

    // Checkout's item now names the app, so later events do too.
    const item = z
      .object({ items: z.object({ data: z.array(z.object({ id: z.string(), metadata: z.record(z.string(), z.string()) })) }) })
      .parse(fake.subscription(subscriptionId)).items.data[0];
    expect(item?.metadata).toEqual({ tenant_id: tenantId });
    expect(after.subscription?.subscriptionItemId).toBe(item?.id);

    expect(await webRedis().hget(INTERVAL_KEY, tenantId)).toBe("2000");
    const audit = await db.auditLog.findMany({ where: { tenantId }, select: { action: true } });
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(["tenant.plan_changed", "billing.subscribed"]));

    // The subscription.updated that tagging the item causes changes nothing more.
    const before = await db.auditLog.count({ where: { tenantId } });
    expect((await deliverEvent("customer.subscription.updated", fake.subscription(subscriptionId))).body.outcome).toBe("processed");
    expect(await db.auditLog.count({ where: { tenantId } })).toBe(before);

    const invoices = await listOwnerInvoices(await requireTenant(tenantId));
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ status: "paid", amountPaidCents: 2900, currency: "usd" });

    const portalResponse = await portal(formPost(`/apps/${tenantId}/billing/portal`, {}), routeContext(tenantId));
    expect(portalResponse.status).toBe(303);
    expect(portalResponse.headers.get("location")).toMatch(/\/p\/session\/bps_test_/);
  });

  it("gives a second app an item on the same subscription, changes its plan at once, and ends it on the free plan", async () => {
    const first = await directApp({ rules: ["worker", "urgent", "mailers"] });
    const { subscriptionId } = await subscribe(first.tenantId, "pro");
    const second = await db.tenant.create({
      data: { channel: "direct", appName: `direct-${randomUUID().slice(0, 8)}`, plan: "hobby", state: "active" },
      select: { id: true },
    });
    scheduled.push(second.id);
    await db.membership.create({ data: { tenantId: second.id, userId: first.userId, role: "owner" } });

    const added = await checkout(formPost(`/apps/${second.id}/billing/checkout`, { plan: "standard" }), routeContext(second.id));
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toMatch(new RegExp(`/apps/${second.id}/billing\\?plan=standard$`));
    expect((await billingOf(second.id)).plan).toBe("standard");
    expect(fake.subscription(subscriptionId)).toMatchObject({ items: { data: [{}, { metadata: { tenant_id: second.id } }] } });

    // Pro → hobby for the first app: its item goes, two of its three process types pause.
    const downgraded = await checkout(formPost(`/apps/${first.tenantId}/billing/checkout`, { plan: "hobby" }), routeContext(first.tenantId));
    expect(downgraded.status).toBe(303);
    const firstAfter = await billingOf(first.tenantId);
    expect(firstAfter.plan).toBe("hobby");
    expect(firstAfter.subscription).toMatchObject({ status: "canceled", subscriptionItemId: null });
    const rules = await db.processRule.findMany({ where: { tenantId: first.tenantId }, orderBy: { createdAt: "asc" } });
    expect(rules.map((rule) => [rule.processType, rule.enabled])).toEqual([
      ["worker", true],
      ["urgent", false],
      ["mailers", false],
    ]);
    const notice = await db.auditLog.findFirstOrThrow({ where: { tenantId: first.tenantId, action: "billing.downgraded" } });
    expect(notice.details).toMatchObject({ plan: "hobby", pausedProcessTypes: ["urgent", "mailers"] });
    expect(await webRedis().hget(INTERVAL_KEY, first.tenantId)).toBe("60000");

    // The webhook for the same change arrives later and changes nothing.
    const audits = await db.auditLog.count({ where: { tenantId: first.tenantId } });
    await deliverEvent("customer.subscription.updated", fake.subscription(subscriptionId));
    expect(await db.auditLog.count({ where: { tenantId: first.tenantId } })).toBe(audits);
    expect((await billingOf(second.id)).plan).toBe("standard");
  });

  it("answers 400 to a forged or altered delivery and changes nothing", async () => {
    const { tenantId } = await directApp();
    const response = await checkout(formPost(`/apps/${tenantId}/billing/checkout`, { plan: "pro" }), routeContext(tenantId));
    const sessionId = sessionUrlSchema.parse(response.headers.get("location")).split("/").pop() ?? "";
    const { session } = fake.completeCheckout(sessionId);
    const event = fake.event("checkout.session.completed", session);

    const forged = await webhook(signedWebhookRequest(event.payload, "whsec_someone_else"), { params: Promise.resolve({}) });
    const altered = await webhook(
      signedWebhookRequest(event.payload.replace(tenantId, randomUUID()), WEBHOOK_SECRET, signedWebhookRequest(event.payload, WEBHOOK_SECRET).headers.get("stripe-signature") ?? ""),
      { params: Promise.resolve({}) },
    );
    const unsigned = await webhook(
      new NextRequest(new URL("/api/stripe/webhook", "http://localhost:3000"), { method: "POST", body: event.payload }),
      { params: Promise.resolve({}) },
    );
    expect([forged.status, altered.status, unsigned.status]).toEqual([400, 400, 400]);
    expect(await forged.json()).toMatchObject({ error: { code: "bad_request" }, message: "Invalid Stripe signature" });
    expect(await db.processedStripeEvent.findUnique({ where: { id: event.id } })).toBeNull();
    expect((await billingOf(tenantId)).plan).toBe("hobby");
  });

  it("processes a replayed event once, also when deliveries race", async () => {
    const { tenantId } = await directApp();
    const { completedPayload } = await subscribe(tenantId, "standard");
    const audits = await db.auditLog.count({ where: { tenantId } });

    const replay = await deliver(completedPayload);
    expect(replay).toEqual({ status: 200, body: { received: true, outcome: "duplicate" } });

    const failed = fake.event("invoice.payment_failed", fake.invoice((await billingOf(tenantId)).subscription?.subscriptionId ?? "", "failed"));
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => deliver(failed.payload)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([200, 200, 200, 200, 200]);
    expect(outcomes.filter((outcome) => outcome.body.outcome === "processed")).toHaveLength(1);
    expect(await db.auditLog.count({ where: { tenantId, action: "billing.payment_failed" } })).toBe(1);
    expect(await db.auditLog.count({ where: { tenantId } })).toBe(audits + 1);
  });

  it("payment failed → grace → paused → paid → resumed", async () => {
    const { tenantId } = await directApp();
    const { subscriptionId } = await subscribe(tenantId, "pro");
    const failedAt = Date.now();

    await deliverEvent("invoice.payment_failed", fake.invoice(subscriptionId, "failed"));
    const inGrace = await billingOf(tenantId);
    expect(inGrace).toMatchObject({ plan: "pro", paused: false, subscription: { status: "past_due" } });
    const graceUntil = inGrace.subscription?.graceUntil?.getTime() ?? 0;
    expect(Math.abs(graceUntil - (failedAt + 7 * DAY_MS))).toBeLessThan(60_000);

    // Stripe retries the charge; another failure does not extend the grace period.
    await deliverEvent("invoice.payment_failed", fake.invoice(subscriptionId, "failed"));
    expect((await billingOf(tenantId)).subscription?.graceUntil?.getTime()).toBe(graceUntil);

    expect(await suspendOverdueTenants(new Date(failedAt + 6 * DAY_MS))).not.toContain(tenantId);
    expect((await billingOf(tenantId)).paused).toBe(false);

    const suspended = await suspendOverdueTenants(new Date(graceUntil + 60_000));
    expect(suspended).toContain(tenantId);
    const paused = await billingOf(tenantId);
    expect(paused).toMatchObject({ paused: true, subscription: { status: "suspended" } });
    expect(await webRedis().zscore(DUE_KEY, tenantId)).toBeNull();
    const notice = await db.auditLog.findFirstOrThrow({ where: { tenantId, action: "billing.suspended" } });
    expect(notice.details).toMatchObject({ message: expect.stringMatching(/paused/) });
    expect(await suspendOverdueTenants(new Date(graceUntil + 120_000))).not.toContain(tenantId);

    await deliverEvent("invoice.paid", fake.invoice(subscriptionId, "paid"));
    const resumed = await billingOf(tenantId);
    expect(resumed).toMatchObject({ paused: false, plan: "pro", subscription: { status: "active", graceUntil: null, suspendedAt: null } });
    expect(await webRedis().hget(INTERVAL_KEY, tenantId)).toBe("2000");
    expect(await webRedis().zscore(DUE_KEY, tenantId)).not.toBeNull();
  });

  it("does not resume an app its owner had paused before billing suspended it", async () => {
    const { tenantId } = await directApp();
    const { subscriptionId } = await subscribe(tenantId, "standard");
    await db.tenant.update({ where: { id: tenantId }, data: { paused: true } });
    await deliverEvent("invoice.payment_failed", fake.invoice(subscriptionId, "failed"));
    await suspendOverdueTenants(new Date(Date.now() + 8 * DAY_MS));
    expect((await billingOf(tenantId)).subscription).toMatchObject({ status: "suspended", suspendedAt: null });
    await deliverEvent("invoice.paid", fake.invoice(subscriptionId, "paid"));
    expect(await billingOf(tenantId)).toMatchObject({ paused: true, subscription: { status: "active" } });
  });

  it("puts every app back on the free plan when the subscription ends", async () => {
    const { tenantId } = await directApp();
    const { subscriptionId } = await subscribe(tenantId, "pro");
    await deliverEvent("customer.subscription.deleted", fake.setSubscriptionStatus(subscriptionId, "canceled"));
    expect(await billingOf(tenantId)).toMatchObject({ plan: "hobby", subscription: { status: "canceled" } });
    expect(await webRedis().hget(INTERVAL_KEY, tenantId)).toBe("60000");
  });

  it("lets only the owner of a direct app change its billing", async () => {
    const { tenantId } = await directApp();
    const member = await db.user.create({ data: { email: `member-${randomUUID().slice(0, 8)}@example.com` } });
    await db.membership.create({ data: { tenantId, userId: member.id, role: "member" } });
    cookieJar.token = await encodeSession({ sub: member.id, email: member.email, via: "heroku" });
    const refused = await checkout(formPost(`/apps/${tenantId}/billing/checkout`, { plan: "pro" }), routeContext(tenantId));
    expect(refused.status).toBe(403);

    const addon = await db.tenant.create({ data: { channel: "heroku", appName: "addon-app", plan: "standard", state: "active" } });
    await db.membership.create({ data: { tenantId: addon.id, userId: member.id, role: "owner" } });
    const conflict = await checkout(formPost(`/apps/${addon.id}/billing/checkout`, { plan: "pro" }), routeContext(addon.id));
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).message).toMatch(/heroku addons:upgrade/);

    const unknownPlan = await checkout(formPost(`/apps/${addon.id}/billing/checkout`, { plan: "platinum" }), routeContext(addon.id));
    expect(unknownPlan.status).toBe(422);

    const outsider = await db.user.create({ data: { email: `outsider-${randomUUID().slice(0, 8)}@example.com` } });
    cookieJar.token = await encodeSession({ sub: outsider.id, email: outsider.email, via: "heroku" });
    const hidden = await checkout(formPost(`/apps/${tenantId}/billing/checkout`, { plan: "pro" }), routeContext(tenantId));
    const hiddenPortal = await portal(formPost(`/apps/${tenantId}/billing/portal`, {}), routeContext(tenantId));
    expect([hidden.status, hiddenPortal.status]).toEqual([404, 404]);

    cookieJar.token = "";
    expect((await checkout(formPost(`/apps/${tenantId}/billing/checkout`, { plan: "pro" }), routeContext(tenantId))).status).toBe(401);
    expect((await portal(formPost(`/apps/${tenantId}/billing/portal`, {}), routeContext(tenantId))).status).toBe(401);
  });
});
