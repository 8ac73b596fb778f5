import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckFailureKind } from "@/lib/checks/failure-kind";

/**
 * Each failure kind, produced the way it happens: a real check (runCheckBatch) of a tenant
 * whose queue store, agent, rules, token or Heroku answer fails in that way, against the test
 * database, Redis and a scripted Platform API on loopback. Every failed check must count
 * exactly one kind, and a failed scale event must carry its kind.
 */
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const tenantIds: string[] = [];
let heroku: Server;
let silentRedis: TcpServer;
const held: Socket[] = [];
let closedPort = 0;

/** GET/PATCH /apps/<behaviour>-<id>/formation answers as the app's name says. */
function answer(app: string, method: string): { status: number; body: unknown } | "hang-up" {
  const formation = [{ type: "worker", quantity: 0, size: "standard-1x" }];
  const [behaviour = ""] = app.split("-");
  if (behaviour === "ok") return { status: 200, body: formation };
  if (behaviour === "patch503") return method === "GET" ? { status: 200, body: formation } : { status: 503, body: { id: "unavailable", message: "Service unavailable" } };
  const status = Number(behaviour.replace(/^s/, ""));
  if (!Number.isInteger(status)) return "hang-up";
  const ids: Record<number, string> = { 409: "conflict", 422: "invalid_params", 429: "rate_limit", 503: "unavailable" };
  return { status, body: { id: ids[status] ?? "error", message: `scripted ${status}` } };
}

beforeAll(async () => {
  heroku = createServer((request, response) => {
    const app = /^\/apps\/([^/]+)\/formation/.exec(request.url ?? "")?.[1] ?? "";
    const reply = answer(decodeURIComponent(app), request.method ?? "GET");
    if (reply === "hang-up") return void request.socket.destroy();
    response.writeHead(reply.status, { "content-type": "application/json", "ratelimit-remaining": "4000" });
    response.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => heroku.listen(0, "127.0.0.1", resolve));
  process.env.HEROKU_API_URL = `http://127.0.0.1:${(heroku.address() as AddressInfo).port}`;
  // A "Redis" that accepts connections and never answers: the probe must time out.
  silentRedis = createTcpServer((socket) => void held.push(socket));
  await new Promise<void>((resolve) => silentRedis.listen(0, "127.0.0.1", resolve));
  // A port nothing listens on: the probe's connection is refused.
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  const { db, disconnectDb } = await import("@/lib/db/client");
  const { closeProbeConnections } = await import("@/lib/queues/probe");
  await db.tenant.deleteMany({ where: { id: { in: tenantIds } } });
  await redis.del(...tenantIds.flatMap((id) => [`ebbflow:check-lock:${id}`, `ebbflow:check-state:${id}`]));
  await redis.quit();
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => silentRedis.close(resolve));
  await new Promise((resolve) => heroku.close(resolve));
  await closeProbeConnections();
  await disconnectDb();
});

interface TenantOptions {
  /** The queue source: a Sidekiq store at this URL, an agent that never reported, or none. */
  source: { url: string } | "push" | "none";
  /** Heroku app name (its prefix scripts the Platform API); with it, a scaling token. */
  app?: string;
  brokenToken?: boolean;
  /** Above the maximum (3): the saved rule no longer parses. */
  minDynos?: number;
}

async function newTenant(options: TenantOptions): Promise<string> {
  const { db } = await import("@/lib/db/client");
  const { seal } = await import("@/lib/crypto");
  const tenantId = randomUUID();
  const namespace = `kinds-${tenantId.slice(0, 8)}`;
  await db.tenant.create({
    data: {
      id: tenantId,
      channel: "heroku",
      herokuResourceId: randomUUID(),
      appName: options.app ?? `kinds-${tenantId.slice(0, 8)}`,
      plan: "standard",
      state: "active",
      processRules: { create: { processType: "worker", minDynos: options.minDynos ?? 0, maxDynos: 3, settings: { concurrencyPerDyno: 5 } } },
      queueSources:
        options.source === "none"
          ? undefined
          : {
              create:
                options.source === "push"
                  ? { processType: "worker", mode: "push", backend: null, configSealed: null }
                  : { processType: "worker", mode: "probe", backend: "sidekiq", configSealed: seal(JSON.stringify({ backend: "sidekiq", url: options.source.url, namespace })).value },
            },
      tokens: options.app
        ? {
            create: {
              kind: "scaling",
              accessTokenSealed: options.brokenToken ? "v1:retired-key:AAAA:BBBB:CCCC" : seal(`token-${tenantId}`).value,
              refreshTokenSealed: seal(`refresh-${tenantId}`).value,
              keyId: "k1",
              scope: "identity write",
              herokuUserId: randomUUID(),
              expiresAt: new Date(Date.now() + 8 * 3600_000),
            },
          }
        : undefined,
    },
  });
  tenantIds.push(tenantId);
  // The tenant's own queue has jobs, so a check that reads it and knows the formation scales up.
  await redis.sadd(`${namespace}:queues`, "default");
  return tenantId;
}

async function errorCounts(): Promise<{ failedChecks: number; kinds: Map<string, number> }> {
  const { checksTotal, errorsTotal } = await import("@/lib/metrics");
  const checks = await checksTotal.get();
  const errors = await errorsTotal.get();
  return {
    failedChecks: checks.values.find((entry) => entry.labels.outcome === "error")?.value ?? 0,
    kinds: new Map(errors.values.map((entry) => [String(entry.labels.kind), entry.value])),
  };
}

async function checkOnce(tenantId: string) {
  const { RecordWriter } = await import("@/lib/checks/record-writer");
  const { runCheckBatch } = await import("@/lib/checks/run-check-batch");
  const writer = new RecordWriter(60_000, 10_000);
  const results = await runCheckBatch([{ tenantId, dueAtMs: Date.now() }], { redis, writer });
  await writer.stop();
  return results;
}

describe("every failed check carries its kind", () => {
  const sidekiqUrl = () => redisUrl;
  const cases: Array<{ kind: CheckFailureKind; tenant: () => TenantOptions }> = [
    { kind: "probe_unreachable", tenant: () => ({ source: { url: `redis://127.0.0.1:${closedPort}` } }) },
    { kind: "probe_timeout", tenant: () => ({ source: { url: `redis://127.0.0.1:${(silentRedis.address() as AddressInfo).port}` } }) },
    { kind: "probe_config", tenant: () => ({ source: "none" }) },
    { kind: "agent_silent", tenant: () => ({ source: "push" }) },
    { kind: "invalid_rules", tenant: () => ({ source: { url: sidekiqUrl() }, minDynos: 5 }) },
    { kind: "heroku_4xx", tenant: () => ({ source: { url: sidekiqUrl() }, app: `s422-${randomUUID().slice(0, 8)}` }) },
    { kind: "heroku_5xx", tenant: () => ({ source: { url: sidekiqUrl() }, app: `s503-${randomUUID().slice(0, 8)}` }) },
    { kind: "rate_limited", tenant: () => ({ source: { url: sidekiqUrl() }, app: `s429-${randomUUID().slice(0, 8)}` }) },
    { kind: "heroku_release", tenant: () => ({ source: { url: sidekiqUrl() }, app: `s409-${randomUUID().slice(0, 8)}` }) },
    { kind: "token", tenant: () => ({ source: { url: sidekiqUrl() }, app: `ok-${randomUUID().slice(0, 8)}`, brokenToken: true }) },
  ];

  for (const { kind, tenant } of cases) {
    it(`counts ${kind}`, { timeout: 30_000 }, async () => {
      const tenantId = await newTenant(tenant());
      const before = await errorCounts();
      const results = await checkOnce(tenantId);
      const after = await errorCounts();
      expect(results.map((result) => result.failures[0])).toEqual([kind]);
      expect(after.failedChecks - before.failedChecks).toBe(1);
      const increased = [...after.kinds].filter(([name, value]) => value > (before.kinds.get(name) ?? 0)).map(([name]) => name);
      expect(increased).toEqual([kind]);
    });
  }

  it("counts internal: the check itself threw (Ebbflow's own Redis went away mid-check)", async () => {
    const tenantId = await newTenant({ source: "push" });
    const { getCheckContexts } = await import("@/lib/checks/context-cache");
    const { runCheck } = await import("@/lib/checks/run-check");
    const { RecordWriter } = await import("@/lib/checks/record-writer");
    const context = (await getCheckContexts([tenantId])).get(tenantId);
    if (!context) throw new Error("no context");
    const broken = new Redis(redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    const before = await errorCounts();
    const result = await runCheck(context, { history: {}, formation: null }, Date.now(), { redis: broken, writer: new RecordWriter(60_000, 10_000) });
    const after = await errorCounts();
    expect(result.failures).toEqual(["internal"]);
    expect(after.failedChecks - before.failedChecks).toBe(1);
    expect((after.kinds.get("internal") ?? 0) - (before.kinds.get("internal") ?? 0)).toBe(1);
    broken.disconnect();
  });

  it("gives a failed scale event the kind of the formation call that failed", async () => {
    const tenantId = await newTenant({ source: { url: sidekiqUrl() }, app: `patch503-${randomUUID().slice(0, 8)}` });
    const { db } = await import("@/lib/db/client");
    const namespace = `kinds-${tenantId.slice(0, 8)}`;
    await redis.lpush(`${namespace}:queue:default`, ...Array.from({ length: 12 }, (_, index) => JSON.stringify({ jid: `j${index}`, class: "Work", enqueued_at: Date.now() / 1000 - 5 })));
    try {
      const results = await checkOnce(tenantId);
      expect(results[0]?.failures).toEqual(["heroku_5xx"]);
      const events = await db.scaleEvent.findMany({ where: { tenantId }, select: { outcome: true, errorKind: true, error: true } });
      expect(events).toEqual([{ outcome: "failed", errorKind: "heroku_5xx", error: expect.stringContaining("503") }]);
    } finally {
      await redis.del(`${namespace}:queue:default`);
    }
  });
});
