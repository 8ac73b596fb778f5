import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as checkout } from "@/app/apps/[tenantId]/billing/checkout/route";
import { POST as portal } from "@/app/apps/[tenantId]/billing/portal/route";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { encodeSession, sessionCookieName } from "@/lib/auth/session-token";
import { db, disconnectDb } from "@/lib/db/client";

const cookieJar = vi.hoisted(() => ({ token: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (cookieJar.token && name === sessionCookieName() ? { name, value: cookieJar.token } : undefined),
    has: (name: string) => Boolean(cookieJar.token) && name === sessionCookieName(),
  }),
}));

beforeAll(() => {
  // Empty counts as unset, as in production's environment parsing.
  for (const name of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_URL", "STRIPE_PRICE_STANDARD", "STRIPE_PRICE_PRO"]) {
    vi.stubEnv(name, "");
  }
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await disconnectDb();
});

function post(path: string, body: string, headers: Record<string, string> = {}): NextRequest {
  return new NextRequest(new URL(path, "http://localhost:3000"), { method: "POST", headers, body });
}

describe("billing without Stripe configured", () => {
  it("answers 503 'Stripe is not configured' to checkout and portal, 404 to webhooks, never a 500", async () => {
    const user = await db.user.create({ data: { email: `owner-${randomUUID().slice(0, 8)}@example.com` } });
    const tenant = await db.tenant.create({
      data: { channel: "direct", appName: `direct-${randomUUID().slice(0, 8)}`, plan: "hobby", state: "active" },
    });
    await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
    cookieJar.token = await encodeSession({ sub: user.id, email: user.email, via: "heroku" });
    const context = { params: Promise.resolve({ tenantId: tenant.id }) };

    const responses = [
      await checkout(post(`/apps/${tenant.id}/billing/checkout`, JSON.stringify({ plan: "pro" }), { "content-type": "application/json" }), context),
      await portal(post(`/apps/${tenant.id}/billing/portal`, ""), context),
    ];
    for (const response of responses) {
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: { code: "unavailable", message: "Stripe is not configured" }, message: "Stripe is not configured" });
    }
    // Without a webhook secret nothing posted there can be trusted: the endpoint does not exist.
    const delivery = await webhook(post("/api/stripe/webhook", "{}", { "stripe-signature": "t=1,v1=abc" }), { params: Promise.resolve({}) });
    expect(delivery.status).toBe(404);
  });
});
