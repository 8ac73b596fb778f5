import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { POST as checkout } from "@/app/apps/[tenantId]/billing/checkout/route";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { encodeSession, sessionCookieName } from "@/lib/auth/session-token";
import { unscheduleTenant } from "@/lib/checks/due-set";
import { db, disconnectDb } from "@/lib/db/client";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";
import { signedWebhookRequest, startStripeFake, type StripeFake } from "../helpers/stripe-fake";

/**
 * Finding 7's billing items, against the Stripe stand-in: a Stripe 404 is not a 500, and the
 * deletion of a subscription an app has left cannot take the app off the one it is on now.
 */
const cookieJar = vi.hoisted(() => ({ token: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (cookieJar.token && name === sessionCookieName() ? { name, value: cookieJar.token } : undefined),
    has: (name: string) => Boolean(cookieJar.token) && name === sessionCookieName(),
  }),
}));

const WEBHOOK_SECRET = `whsec_${randomUUID().replaceAll("-", "")}`;
let fake: StripeFake;
const scheduled: string[] = [];

beforeAll(async () => {
  fake = await startStripeFake();
  vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_ebbflow");
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
  vi.stubEnv("STRIPE_API_URL", fake.url);
  vi.stubEnv("STRIPE_PRICE_STANDARD", "price_standard_test");
  vi.stubEnv("STRIPE_PRICE_PRO", "price_pro_test");
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

async function directApp() {
  const suffix = randomUUID().slice(0, 8);
  const user = await db.user.create({ data: { email: `owner-${suffix}@example.com` }, select: { id: true, email: true } });
  const tenant = await db.tenant.create({ data: { channel: "direct", appName: `direct-${suffix}`, plan: "hobby", state: "active" }, select: { id: true } });
  scheduled.push(tenant.id);
  await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
  cookieJar.token = await encodeSession({ sub: user.id, email: user.email, via: "heroku" });
  return { tenantId: tenant.id, userId: user.id };
}

async function deliverEvent(type: string, object: Record<string, unknown>) {
  const response = await webhook(signedWebhookRequest(fake.event(type, JSON.parse(JSON.stringify(object))).payload, WEBHOOK_SECRET), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as { outcome?: string } };
}

async function subscribe(tenantId: string, plan: "standard" | "pro") {
  const response = await checkout(formPost(`/apps/${tenantId}/billing/checkout`, { plan }), routeContext(tenantId));
  expect(response.status).toBe(303);
  const sessionId = z.string().regex(/\/c\/pay\/(cs_test_\w+)$/).parse(response.headers.get("location")).split("/").pop() ?? "";
  const { session, subscription } = fake.completeCheckout(sessionId);
  expect((await deliverEvent("customer.subscription.created", subscription)).body.outcome).toBe("processed");
  expect((await deliverEvent("checkout.session.completed", session)).body.outcome).toBe("processed");
  return String(subscription.id);
}

describe("Stripe errors", () => {
  it("a subscription Stripe no longer has (404) answers 409 with what to do, not 500", async () => {
    const { tenantId, userId } = await directApp();
    await subscribe(tenantId, "standard");
    // Deleted in Stripe's dashboard: Ebbflow's record still names it.
    await db.stripeCustomer.update({ where: { userId }, data: { subscriptionId: `sub_gone_${randomUUID().slice(0, 8)}` } });
    const response = await checkout(formPost(`/apps/${tenantId}/billing/checkout`, { plan: "pro" }), routeContext(tenantId));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "conflict", message: expect.stringMatching(/Stripe no longer has/) } });
  });
});

describe("late subscription deletions", () => {
  it("the deletion of a subscription the app has left leaves the app on its current one", async () => {
    const { tenantId } = await directApp();
    const old = await subscribe(tenantId, "pro");
    // The app has since moved to a newer subscription (applied a little earlier than the old
    // one's deletion is stamped, as when Stripe sends that deletion late or in the same second).
    const newer = `sub_newer_${randomUUID().slice(0, 8)}`;
    await db.tenantSubscription.update({ where: { tenantId }, data: { subscriptionId: newer, subscriptionItemId: `si_${randomUUID().slice(0, 8)}`, stripeEventAt: new Date(Date.now() - 5_000) } });
    expect((await deliverEvent("customer.subscription.deleted", fake.setSubscriptionStatus(old, "canceled"))).body.outcome).toBe("processed");
    const after = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true, subscription: { select: { subscriptionId: true, status: true } } } });
    expect(after).toMatchObject({ plan: "pro", subscription: { subscriptionId: newer, status: "active" } });
  });

  it("the deletion of the app's current subscription still ends it", async () => {
    const { tenantId } = await directApp();
    const current = await subscribe(tenantId, "pro");
    await deliverEvent("customer.subscription.deleted", fake.setSubscriptionStatus(current, "canceled"));
    expect(await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true } })).toEqual({ plan: "hobby" });
  });
});
