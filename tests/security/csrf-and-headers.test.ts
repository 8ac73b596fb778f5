import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "@/proxy";
import { env } from "@/lib/env";

/**
 * Finding 8 (CSRF, framing) and the `%zz` item of finding 7, at the layer that runs before
 * every page and dashboard handler. The production build is walked the same way by
 * tests/security/routes.spec.ts.
 */
const appOrigin = new URL(env().APP_URL).origin;

function request(method: string, path: string, headers: Record<string, string> = {}): NextRequest {
  return new NextRequest(new URL(path, appOrigin), { method, headers });
}

const dashboardWrites = ["/apps/0b0e4c4e-1111-4222-8333-944445555666/rules/save", "/apps/x/settings/disconnect", "/apps/x/billing/checkout", "/api/auth/signout"];

describe("Origin check", () => {
  it("runs for every dashboard page and handler, and for next-auth", () => {
    for (const path of [...dashboardWrites, "/apps", "/connect/complete", "/", "/signin"]) {
      expect(unstable_doesMiddlewareMatch({ config, url: path }), path).toBe(true);
    }
  });

  it("leaves out only the endpoints other sites must post to, each proven by its own credential", () => {
    for (const path of ["/heroku/sso", "/heroku/resources", "/heroku/resources/abc", "/api/stripe/webhook", "/api/heroku/webhooks/abc", "/api/v1/reports"]) {
      expect(unstable_doesMiddlewareMatch({ config, url: path }), path).toBe(false);
    }
  });

  for (const path of dashboardWrites) {
    it.each([
      ["a foreign Origin", { origin: "https://evil.example" }],
      ["Origin: null", { origin: "null" }],
      ["a look-alike Origin", { origin: `${appOrigin}.evil.example` }],
      ["no Origin but Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
      ["no Origin but Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ])(`refuses POST ${path} with %s (403)`, async (_label, headers) => {
      const response = proxy(request("POST", path, { "content-type": "text/plain", ...headers }));
      expect(response.status).toBe(403);
    });
  }

  it("lets Ebbflow's own pages post, and lets anyone read", () => {
    expect(proxy(request("POST", dashboardWrites[0]!, { origin: appOrigin })).headers.get("x-middleware-next")).toBe("1");
    expect(proxy(request("POST", dashboardWrites[0]!, { "sec-fetch-site": "same-origin" })).headers.get("x-middleware-next")).toBe("1");
    expect(proxy(request("GET", "/apps", { origin: "https://evil.example" })).headers.get("x-middleware-next")).toBe("1");
  });
});

describe("security headers", () => {
  it("forbid framing, set a nonce-based Content-Security-Policy, nosniff and a referrer policy", () => {
    const first = proxy(request("GET", "/apps"));
    const second = proxy(request("GET", "/apps"));
    const policy = first.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(policy).toContain("object-src 'none'");
    expect(second.headers.get("content-security-policy")).not.toBe(policy);
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    // Next.js finds the nonce for its own scripts in the policy on the request it passes on.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
  });
});

describe("malformed paths", () => {
  it.each(["/apps/%zz", "/apps/%zz/chart", "/apps/%E0%A4%A/rules", "/connect/%"])("answers %s with 400", (path) => {
    const response = proxy(new NextRequest(`${appOrigin}${path}`));
    expect(response.status).toBe(400);
  });
});
