import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it, vi } from "vitest";
import { GET as completeAuthorization } from "@/app/apps/[tenantId]/authorize/complete/route";
import { GET as completeConnect } from "@/app/connect/complete/route";
import { OAUTH_INTENT_COOKIE, startOAuthIntent } from "@/lib/auth/oauth-intent";
import { stashAuthorization, takeAuthorization } from "@/lib/auth/pending-authorization";
import { encodeSession, sessionCookieName } from "@/lib/auth/session-token";
import { db, disconnectDb } from "@/lib/db/client";
import { disconnectWebRedis } from "@/lib/redis/connection";

/**
 * Finding 8: the OAuth callbacks change state on GET. A link from another site (the visitor
 * signed in, an authorization just parked) must not connect an app or attach the authorization
 * to an app: the callback acts only for a round trip this browser started.
 */
const cookieJar = vi.hoisted(() => {
  // Whatever gets past a check must find no Heroku but a closed loopback port.
  process.env.HEROKU_API_URL = "http://127.0.0.1:5229";
  process.env.HEROKU_ID_URL = "http://127.0.0.1:5229";
  return { token: "" };
});
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (cookieJar.token && name === sessionCookieName() ? { name, value: cookieJar.token } : undefined),
    has: (name: string) => Boolean(cookieJar.token) && name === sessionCookieName(),
  }),
}));

afterAll(async () => {
  await disconnectWebRedis();
  await disconnectDb();
});

const parked = { access_token: "pending-access", refresh_token: "pending-refresh", expires_in: 28_800, scope: "identity write" };

async function signedInMemberOfNewApp(authorization = parked) {
  const user = await db.user.create({ data: { email: `cb-${randomUUID().slice(0, 8)}@example.com` } });
  const tenant = await db.tenant.create({ data: { channel: "heroku", appName: `cb-${randomUUID().slice(0, 8)}`, plan: "standard", state: "active" } });
  await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
  cookieJar.token = await encodeSession({ sub: user.id, email: user.email, via: "heroku" });
  await stashAuthorization(user.id, authorization);
  return { user, tenant };
}

function get(path: string, cookie?: string): NextRequest {
  return new NextRequest(new URL(path, "http://localhost:3000"), { headers: cookie ? { cookie } : {} });
}

describe("OAuth callbacks", () => {
  it("/apps/{id}/authorize/complete from a foreign link answers 403 and leaves the parked authorization alone", async () => {
    const { user, tenant } = await signedInMemberOfNewApp();
    const context = { params: Promise.resolve({ tenantId: tenant.id }) };
    const forged = [
      get(`/apps/${tenant.id}/authorize/complete`),
      get(`/apps/${tenant.id}/authorize/complete?intent=guess`),
      // The intent of a round trip started for another app does not fit this one.
      (() => {
        const other = startOAuthIntent("authorize", randomUUID(), "/x");
        const nonce = new URL(other.callbackUrl, "http://x").searchParams.get("intent") ?? "";
        return get(`/apps/${tenant.id}/authorize/complete?intent=${nonce}`, `${OAUTH_INTENT_COOKIE}=${other.cookie.value}`);
      })(),
    ];
    for (const request of forged) expect((await completeAuthorization(request, context)).status).toBe(403);
    expect(await takeAuthorization(user.id)).toMatchObject({ access_token: "pending-access" });
  });

  it("/connect/complete from a foreign link answers 403 and leaves the parked authorization alone", async () => {
    const { user } = await signedInMemberOfNewApp();
    const response = await completeConnect(get("/connect/complete?app=someone-elses-app"), { params: Promise.resolve({}) });
    expect(response.status).toBe(403);
    expect(await takeAuthorization(user.id)).toMatchObject({ access_token: "pending-access" });
  });

  it("the round trip this browser started gets past the check to the authorization itself", async () => {
    // An authorization without the write scope is refused by the step after the intent check.
    const { tenant } = await signedInMemberOfNewApp({ ...parked, scope: "identity" });
    const intent = startOAuthIntent("authorize", tenant.id, `/apps/${tenant.id}/authorize/complete`);
    const request = get(intent.callbackUrl, `${OAUTH_INTENT_COOKIE}=${intent.cookie.value}`);
    const response = await completeAuthorization(request, { params: Promise.resolve({ tenantId: tenant.id }) });
    expect(await response.json()).toMatchObject({ message: expect.stringMatching(/no write access/) });
  });
});
