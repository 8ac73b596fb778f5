import { randomBytes, randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as stripeWebhook } from "@/app/api/stripe/webhook/route";
import { POST as herokuWebhook } from "@/app/api/heroku/webhooks/[addonId]/route";
import { POST as report } from "@/app/api/v1/reports/route";
import { POST as provision } from "@/app/heroku/resources/route";
import { PUT as changePlan } from "@/app/heroku/resources/[id]/route";
import { POST as sso } from "@/app/heroku/sso/route";
import { db, disconnectDb } from "@/lib/db/client";
import { hashAgentToken } from "@/lib/queues/agent-token";
import { disconnectWebRedis } from "@/lib/redis/connection";
import { herokuAuth } from "../helpers/partner-requests";

/**
 * Finding 5: a body is refused with 413 once it passes the route's cap, and no more of it is
 * read than the cap (plus one chunk). The body is a stream that makes its bytes on demand and
 * counts what was pulled, so "memory does not balloon" is measured, not assumed: a route that
 * read 64 MB would pull all of it.
 */
const HUGE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const LARGEST_CAP_BYTES = 512 * 1024;

function countingStream(totalBytes: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = new Uint8Array(CHUNK_BYTES).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

function hugeRequest(path: string, method: string, headers: Record<string, string>, declareLength: boolean) {
  const { stream, pulled } = countingStream(HUGE_BYTES);
  const allHeaders = new Headers(headers);
  if (declareLength) allHeaders.set("content-length", String(HUGE_BYTES));
  // Node needs `duplex: "half"` to send a streamed body; the DOM typings do not know it yet.
  const init = { method, headers: allHeaders, body: stream, duplex: "half" as const };
  const request = new NextRequest(new URL(path, "http://127.0.0.1:3000"), init);
  return { request, pulled };
}

const agentToken = randomBytes(32).toString("base64url");
let tenantId = "";

beforeAll(async () => {
  const tenant = await db.tenant.create({
    data: { channel: "heroku", appName: `caps-${randomUUID().slice(0, 8)}`, plan: "pro", state: "active", agentTokenHash: hashAgentToken(agentToken) },
    select: { id: true },
  });
  tenantId = tenant.id;
});

afterAll(async () => {
  await db.tenant.delete({ where: { id: tenantId } });
  await disconnectWebRedis();
  await disconnectDb();
});

const noParams = { params: Promise.resolve({}) };
interface CappedRoute {
  name: string;
  call: (request: NextRequest) => Promise<Response>;
  path: string;
  method: string;
  headers: Record<string, string>;
}

const routes: CappedRoute[] = [
  { name: "POST /api/stripe/webhook", call: (r: NextRequest) => stripeWebhook(r, noParams), path: "/api/stripe/webhook", method: "POST", headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" } },
  {
    name: "POST /api/heroku/webhooks/{addonId}",
    call: (r: NextRequest) => herokuWebhook(r, { params: Promise.resolve({ addonId: randomUUID() }) }),
    path: "/api/heroku/webhooks/x",
    method: "POST",
    headers: { "content-type": "application/json", "heroku-webhook-hmac-sha256": "AAAA" },
  },
  { name: "POST /heroku/sso", call: (r: NextRequest) => sso(r, noParams), path: "/heroku/sso", method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "198.51.100.77" } },
  { name: "POST /heroku/resources", call: (r: NextRequest) => provision(r, noParams), path: "/heroku/resources", method: "POST", headers: { "content-type": "application/json", authorization: herokuAuth() } },
  {
    name: "PUT /heroku/resources/{id}",
    call: (r: NextRequest) => changePlan(r, { params: Promise.resolve({ id: randomUUID() }) }),
    path: "/heroku/resources/x",
    method: "PUT",
    headers: { "content-type": "application/json", authorization: herokuAuth() },
  },
  { name: "POST /api/v1/reports", call: (r: NextRequest) => report(r, noParams), path: "/api/v1/reports", method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${agentToken}` } },
];

describe("every body-reading route caps its body", () => {
  for (const route of routes) {
    it(`${route.name}: a 64 MB chunked body answers 413 after reading at most the cap`, async () => {
      const { request, pulled } = hugeRequest(route.path, route.method, route.headers, false);
      const response = await route.call(request);
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
      expect(pulled()).toBeLessThanOrEqual(LARGEST_CAP_BYTES + 2 * CHUNK_BYTES);
    });

    it(`${route.name}: a declared 64 MB body answers 413 before one byte is read`, async () => {
      const { request, pulled } = hugeRequest(route.path, route.method, route.headers, true);
      const response = await route.call(request);
      expect(response.status).toBe(413);
      // A ReadableStream may pull its first chunk when it is created; none past that.
      expect(pulled()).toBeLessThanOrEqual(CHUNK_BYTES);
    });
  }

  it("heap stays flat while four 64 MB bodies are refused", async () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const { request } = hugeRequest("/api/stripe/webhook", "POST", routes[0]!.headers, false);
        expect((await stripeWebhook(request, noParams)).status).toBe(413);
      }),
    );
    const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    expect(after - before).toBeLessThan(32 * 1024 * 1024);
  });
});
