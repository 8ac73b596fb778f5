import { expect, test, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import pg from "pg";
import { partnerAuth, provisionAddon, signInWithSso } from "../e2e/support/heroku";
import { discoverRoutes, type AppRoute } from "./support/discover-routes";

/**
 * Every route under app/, found from the files, against the production build: wrong types,
 * missing and extra fields, huge and negative numbers, unicode and NUL, wrong content types,
 * oversized bodies and malformed paths, as a signed-in member of a real app (so requests get
 * past the guard to the parsing), with the Partner API's and an agent's credentials where they
 * apply. Every answer must be below 500. Any host the fuzzer names is loopback: nothing it
 * sends can make Ebbflow connect elsewhere.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1200);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

const fieldNames = [
  "plan", "uuid", "name", "region", "options", "callback_url", "oauth_grant", "processType", "process_type", "rule", "min", "max",
  "mode", "backend", "url", "queues", "namespace", "prefix", "httpFormat", "hirefireMetric", "httpToken", "paused", "dryRun",
  "confirmAppName", "webhookUrl", "emails", "onFailure", "onMax", "removeWebhook", "depth", "latency_ms", "schedules", "prewarm",
  "resource_id", "timestamp", "user_scoped_resource_token", "resource_token", "token", "email", "user_id", "nav-data", "range", "before",
];

const loopbackUrl = fc.constantFrom(
  "redis://127.0.0.1:1/0", "redis://:pw@[::1]:6379/15", "postgres://u:p@127.0.0.1:1/db", "http://127.0.0.1:1/hirefire", "https://localhost:1/x",
  "redis://%zz@127.0.0.1", "not a url", "javascript:alert(1)", "", "redis://127.0.0.1:99999", "http://[::1", "\u0000redis://127.0.0.1",
);

const nasty = fc.oneof(
  fc.constantFrom(
    -1, 0, -(2 ** 31), 2 ** 31, 3_000_000_000, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 0.5, -0.0001,
    "9223372036854775808", "-1", "1e999", "NaN", "Infinity", "\u0000", "a\u0000b", "‮rtl", "😀".repeat(300), "x".repeat(70_000),
    "<script>alert(1)</script>", "' OR 1=1 --", "${7*7}", "../../etc/passwd", "%zz", "\ud800", null, true, false, [], {},
  ),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 10 }),
  fc.uuid(),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(nasty, loopbackUrl),
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...fieldNames), tie("node"), { maxKeys: 6 })),
})).node;

/** A body that looks like what the routes take, with some fields wrong, missing or extra. */
const plausibleObject = fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 12 })), value, { maxKeys: 10 });

type Body =
  | { kind: "json"; value: unknown }
  | { kind: "raw"; text: string }
  | { kind: "form"; fields: Record<string, string> }
  | { kind: "huge"; bytes: number }
  | { kind: "none" };

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(plausibleObject, value).map((v): Body => ({ kind: "json", value: v })) },
  { weight: 2, arbitrary: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom("{", "[1,", "{\"a\":\u0000}", "null", "\"", "{\"plan\":1e9999}")).map((text): Body => ({ kind: "raw", text })) },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...fieldNames), fc.string({ unit: "binary", maxLength: 60 }), { maxKeys: 8 }).map((fields): Body => ({ kind: "form", fields })) },
  { weight: 1, arbitrary: fc.constantFrom(300 * 1024, 600 * 1024, 2 * 1024 * 1024).map((bytes): Body => ({ kind: "huge", bytes })) },
  { weight: 1, arbitrary: fc.constant<Body>({ kind: "none" }) },
);

const contentType = fc.constantFrom(
  "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz",
  "application/xml", "", "application/json; charset=latin1", "APPLICATION/JSON",
);

const segmentNoise = fc.constantFrom("%zz", "%", "%00", "%E0%A4%A", "..", "%2e%2e", "😀", "x".repeat(3000), "-1", "9223372036854775808", "null", "%2F");

/** encodeURIComponent, except that a lone surrogate is sent as its raw (invalid UTF-8) bytes. */
function encodeQueryValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

interface Target {
  tenantId: string;
  resourceId: string;
  agentToken: string;
}

const request = (routes: AppRoute[], target: Target) =>
  fc.record({
    route: fc.constantFrom(...routes),
    method: fc.oneof({ weight: 5, arbitrary: fc.constant<string | null>(null) }, { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD") }),
    param: fc.oneof({ weight: 4, arbitrary: fc.constant("own") }, { weight: 1, arbitrary: fc.uuid() }, { weight: 2, arbitrary: segmentNoise }),
    suffix: fc.oneof({ weight: 6, arbitrary: fc.constant("") }, { weight: 1, arbitrary: segmentNoise.map((s) => `/${s}`) }),
    query: fc.oneof({ weight: 3, arbitrary: fc.constant("") }, { weight: 2, arbitrary: fc.dictionary(fc.constantFrom("range", "before", "processType", "outcome", "app", "error", "x"), fc.oneof(nasty.map(String), segmentNoise), { maxKeys: 3 }).map((q) => `?${Object.entries(q).map(([k, v]) => `${k}=${encodeQueryValue(v)}`).join("&")}`) }, { weight: 1, arbitrary: segmentNoise.map((s) => `?before=${s}&range=${s}`) }),
    contentType,
    credentials: fc.constantFrom("right", "none", "wrong"),
    crossOrigin: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 3, arbitrary: fc.constant(true) }),
    body,
  }).map((r) => ({ ...r, target }));

function urlFor(route: AppRoute, param: string, target: Target, suffix: string, query: string): string {
  const path = route.pattern
    .replace("[tenantId]", param === "own" ? target.tenantId : param)
    .replace("[id]", param === "own" ? target.resourceId : param)
    .replace("[...nextauth]", param === "own" ? "session" : param);
  // "/" + "/%zz" would read as a scheme-relative URL ("//%zz"), which no client sends as a path.
  return `${path === "/" && suffix ? "" : path}${suffix}${query}`;
}

function credentialsFor(route: AppRoute, which: string, target: Target): Record<string, string> {
  if (which === "none") return {};
  if (route.pattern.startsWith("/heroku/resources")) return { authorization: which === "right" ? partnerAuth : "Basic Zm9vOmJhcg==" };
  if (route.pattern === "/api/v1/reports") return { authorization: `Bearer ${which === "right" ? target.agentToken : "ebb_wrong"}` };
  if (route.pattern === "/metrics") return { authorization: "Bearer wrong-metrics-token-123456" };
  return {};
}

function payload(b: Body): string | Buffer | undefined {
  switch (b.kind) {
    case "json":
      return JSON.stringify(b.value) ?? "null";
    case "raw":
      return b.text;
    case "form":
      return new URLSearchParams(b.fields).toString();
    case "huge":
      return Buffer.alloc(b.bytes, 0x7b);
    case "none":
      return undefined;
  }
}

async function makeOwners(tenantId: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test" });
  await client.connect();
  try {
    const { rowCount } = await client.query("UPDATE memberships SET role = 'owner' WHERE tenant_id = $1", [tenantId]);
    expect(rowCount).toBe(1);
  } finally {
    await client.end();
  }
}

test("every route answers a fuzzed request below 500", async ({ browser, baseURL }) => {
  test.setTimeout(15 * 60_000);
  const routes = discoverRoutes();
  expect(routes.length).toBeGreaterThan(25);

  const context = await browser.newContext();
  const addon = await provisionAddon(context.request);
  const tenantId = await signInWithSso(context, addon.resourceId, `fuzz-${Date.now()}@example.com`);
  // SSO makes a member; the fuzz signs in as the app's owner so the owner-only routes are reached too.
  await makeOwners(tenantId);
  const rotated = await context.request.post(`/apps/${tenantId}/sources/agent-token`, { headers: { origin: baseURL ?? "" } });
  expect(rotated.status()).toBe(200);
  const { token: agentToken } = (await rotated.json()) as { token: string };
  const target: Target = { tenantId, resourceId: addon.resourceId, agentToken };
  const api: APIRequestContext = context.request;

  let sent = 0;
  const failures: string[] = [];
  console.log(`fuzz: ${REQUESTS} requests over ${routes.length} routes, seed ${SEED}`);
  await fc.assert(
    fc.asyncProperty(request(routes, target), async (r) => {
      const method = r.method ?? r.route.methods[sent % r.route.methods.length] ?? "GET";
      const url = urlFor(r.route, r.param, r.target, r.suffix, r.query);
      const headers: Record<string, string> = {
        ...credentialsFor(r.route, r.credentials, r.target),
        // A documentation address per request: the failed-sign-in limit is per address.
        "x-forwarded-for": `198.51.100.${sent % 250}`,
        origin: r.crossOrigin ? "https://evil.example" : (baseURL ?? ""),
      };
      if (r.contentType) headers["content-type"] = r.contentType;
      const data = method === "GET" || method === "HEAD" ? undefined : payload(r.body);
      sent += 1;
      const label = `${method} ${url.slice(0, 200)} (${r.contentType || "no type"}, ${r.body.kind})`;
      let response;
      try {
        response = await api.fetch(url, { method, headers, data, maxRedirects: 0, failOnStatusCode: false, timeout: 30_000 });
      } catch (error) {
        failures.push(`${label} → no answer: ${String(error).slice(0, 300)}`);
        return false;
      }
      const status = response.status();
      if (status >= 500) failures.push(`${label} → ${status}: ${(await response.text()).slice(0, 200)}`);
      return status < 500;
    }),
    { numRuns: REQUESTS, seed: SEED, endOnFailure: true },
  ).catch((error: unknown) => {
    throw new Error(`${failures.join("\n")}\n${String(error)}`);
  });
  console.log(`fuzz: ${sent} requests, none answered 5xx`);
  expect(sent).toBeGreaterThanOrEqual(1000);
  await context.close();
});
