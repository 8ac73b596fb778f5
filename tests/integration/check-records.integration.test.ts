import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { loadCheckContexts } from "@/lib/checks/check-context";
import { RecordWriter } from "@/lib/checks/record-writer";
import { runCheckBatch } from "@/lib/checks/run-check-batch";
import { checksQueue, triggerCheckNow, TRIGGER_DEBOUNCE_MS } from "@/lib/checks/trigger-check";
import { keyringFrom, seal } from "@/lib/crypto";
import { db, disconnectDb } from "@/lib/db/client";
import { closeProbeConnections } from "@/lib/queues/probe";

/**
 * The parts of the check path that were rewritten for speed, against the test database and
 * Redis (the record writer's one-array-per-column statements, the check contexts' parse memo,
 * the push-triggered check queued first), and the per-tenant check lock they rely on.
 */
const tenantIds: string[] = [];
const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });

async function newTenant(options: { settings?: object; maxDynos?: number; sealed?: string | null; mode?: "probe" | "push" } = {}): Promise<string> {
  const tenant = await db.tenant.create({
    data: {
      channel: "heroku",
      herokuResourceId: randomUUID(),
      appName: `records-${randomUUID().slice(0, 8)}`,
      plan: "standard",
      state: "active",
      processRules: { create: { processType: "worker", minDynos: 0, maxDynos: options.maxDynos ?? 3, settings: options.settings ?? { concurrencyPerDyno: 5 } } },
      queueSources: {
        create: {
          processType: "worker",
          mode: options.mode ?? "probe",
          backend: options.mode === "push" ? null : "sidekiq",
          configSealed:
            options.sealed === undefined ? seal(JSON.stringify({ backend: "sidekiq", url: "redis://127.0.0.1:6379/0", namespace: "records" })).value : options.sealed,
        },
      },
    },
    select: { id: true },
  });
  tenantIds.push(tenant.id);
  return tenant.id;
}

afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: tenantIds } } });
  await redis.del(...tenantIds.flatMap((id) => [`ebbflow:check-lock:${id}`, `ebbflow:check-state:${id}`]));
  await redis.quit();
  await checksQueue().close();
  await closeProbeConnections();
  await disconnectDb();
});

describe("RecordWriter", () => {
  it("writes samples with nulls and health with any error text, keeping the last good check on a bad one", async () => {
    const [first, second] = [await newTenant(), await newTenant()];
    const goodAt = new Date("2026-03-01T10:00:00.123Z");
    const badAt = new Date("2026-03-01T10:00:10.456Z");
    const error = `worker: quotes " ' commas , braces {} backslash \\ NULL ✓\nsecond line`;
    const writer = new RecordWriter(60_000, 10_000);
    writer.addSample({ tenantId: first, processType: "worker", sampledAt: goodAt, depth: 7, latencyMs: null, busy: 2, scheduled: null, retries: 0, dynos: 1 });
    writer.addSample({ tenantId: second, processType: "urgent-jobs", sampledAt: badAt, depth: 0, latencyMs: 1500, busy: null, scheduled: 4, retries: null, dynos: null });
    // A web sample: fractional request rates and queue times are kept; a non-finite one is unknown.
    writer.addSample({
      tenantId: second,
      processType: "web",
      sampledAt: goodAt,
      depth: 0,
      latencyMs: 9,
      busy: null,
      scheduled: null,
      retries: null,
      dynos: 2,
      requestsPerMinute: 1240.5,
      queueTimeP50Ms: 1.25,
      queueTimeP95Ms: 8.5,
      queueTimeP99Ms: Number.POSITIVE_INFINITY,
    });
    writer.setHealth({ tenantId: first, checkedAt: goodAt, good: true, error: null });
    await writer.flush();
    writer.setHealth({ tenantId: first, checkedAt: badAt, good: false, error });
    writer.setHealth({ tenantId: second, checkedAt: badAt, good: true, error: null });
    await writer.stop();

    const samples = await db.metricSample.findMany({ where: { tenantId: { in: [first, second] } }, orderBy: [{ sampledAt: "asc" }, { processType: "desc" }] });
    const noWeb = { requestsPerMinute: null, queueTimeP50Ms: null, queueTimeP95Ms: null, queueTimeP99Ms: null };
    expect(samples.map(({ id: _id, ...row }) => row)).toEqual([
      { tenantId: first, processType: "worker", resolution: "raw", sampledAt: goodAt, depth: 7, latencyMs: null, busy: 2, scheduled: null, retries: 0, dynos: 1, ...noWeb },
      {
        tenantId: second,
        processType: "web",
        resolution: "raw",
        sampledAt: goodAt,
        depth: 0,
        latencyMs: 9,
        busy: null,
        scheduled: null,
        retries: null,
        dynos: 2,
        requestsPerMinute: 1240.5,
        queueTimeP50Ms: 1.25,
        queueTimeP95Ms: 8.5,
        queueTimeP99Ms: null,
      },
      { tenantId: second, processType: "urgent-jobs", resolution: "raw", sampledAt: badAt, depth: 0, latencyMs: 1500, busy: null, scheduled: 4, retries: null, dynos: null, ...noWeb },
    ]);
    const health = await db.tenant.findMany({ where: { id: { in: [first, second] } }, select: { id: true, lastCheckAt: true, lastGoodCheckAt: true, lastError: true } });
    expect(health.find((t) => t.id === first)).toEqual({ id: first, lastCheckAt: badAt, lastGoodCheckAt: goodAt, lastError: error });
    expect(health.find((t) => t.id === second)).toEqual({ id: second, lastCheckAt: badAt, lastGoodCheckAt: badAt, lastError: null });
  });
});

describe("loadCheckContexts", () => {
  it("sees a rule edit at the next load although parsed rules are remembered", async () => {
    const tenantId = await newTenant({ settings: { concurrencyPerDyno: 4 } });
    const before = (await loadCheckContexts([tenantId])).get(tenantId);
    expect(before?.rules.processTypes[0]).toMatchObject({ processType: "worker", maxQuantity: 3, concurrencyPerDyno: 4, downscale: { delaySeconds: null } });
    await db.processRule.update({ where: { tenantId_processType: { tenantId, processType: "worker" } }, data: { maxDynos: 6, settings: { concurrencyPerDyno: 4, downscale: { delaySeconds: 5 } } } });
    const after = (await loadCheckContexts([tenantId])).get(tenantId);
    expect(after?.rules.processTypes[0]).toMatchObject({ maxQuantity: 6, concurrencyPerDyno: 4, downscale: { delaySeconds: 5 } });
  });

  it("shares one frozen rule between tenants with the same rule rows, and opens each source", async () => {
    const settings = { concurrencyPerDyno: 7, bootSeconds: 12 };
    const [first, second] = [await newTenant({ settings }), await newTenant({ settings })];
    const contexts = await loadCheckContexts([first, second]);
    const [a, b] = [contexts.get(first)?.rules.processTypes[0], contexts.get(second)?.rules.processTypes[0]];
    expect(a).toBeDefined();
    expect(a).toBe(b);
    expect(Object.isFrozen(a) && Object.isFrozen(a?.downscale)).toBe(true);
    expect(contexts.get(first)?.sources.get("worker")).toEqual({
      mode: "probe",
      source: { backend: "sidekiq", url: "redis://127.0.0.1:6379/0", namespace: "records" },
      key: JSON.stringify({ backend: "sidekiq", url: "redis://127.0.0.1:6379/0", namespace: "records" }),
    });
  });

  it("reports invalid rules, push sources, and sources that cannot be opened", async () => {
    const invalid = await newTenant({ settings: { concurrencyPerDyno: -1 } });
    const push = await newTenant({ mode: "push", sealed: null });
    const unreadable = await newTenant({ sealed: "v1.not-a-key.aaaa.bbbb.cccc" });
    const contexts = await loadCheckContexts([invalid, push, unreadable, randomUUID()]);
    expect(contexts.get(invalid)?.rules.processTypes).toEqual([]);
    expect(contexts.get(invalid)?.invalidRules.get("worker")).toMatch(/^concurrencyPerDyno: /);
    expect(contexts.get(push)?.sources.get("worker")).toEqual({ mode: "push", quiet: { kind: "push" } });
    expect(contexts.get(unreadable)?.sources.size).toBe(0);
    expect(contexts.size).toBe(4);
    expect([...contexts.values()].filter((context) => context === null)).toHaveLength(1);
  });

  it("marks a source sealed with a key no longer configured once (status problem and one audit event), not at every load", async () => {
    const otherKey = keyringFrom([Buffer.alloc(32, 9).toString("base64")]);
    const sealedElsewhere = seal(JSON.stringify({ backend: "sidekiq", url: "redis://127.0.0.1:6379/0" }), otherKey).value;
    const tenantId = await newTenant({ sealed: sealedElsewhere });
    for (let load = 0; load < 3; load += 1) {
      const context = (await loadCheckContexts([tenantId])).get(tenantId);
      expect(context?.sources.size).toBe(0);
      expect(context?.unreadableSources?.get("worker")).toMatch(/no longer in ENCRYPTION_KEY.*enter the connection again in Sources/);
    }
    const events = await db.auditLog.findMany({ where: { tenantId, action: "source.unreadable" } });
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ processType: "worker" });

    // Entering the source again (sealed anew, still unreadable here) is a new event.
    await db.queueSource.updateMany({ where: { tenantId }, data: { configSealed: seal("{}", otherKey).value } });
    await loadCheckContexts([tenantId]);
    expect(await db.auditLog.count({ where: { tenantId, action: "source.unreadable" } })).toBe(2);
  });
});

describe("runCheckBatch locks", () => {
  it("skips a tenant whose lock someone else holds, leaves that lock alone, and releases its own", async () => {
    const [free, busy] = [await newTenant(), await newTenant()];
    await redis.set(`ebbflow:check-lock:${busy}`, "another-worker", "PX", 10_000);
    const writer = new RecordWriter(60_000, 10_000);
    const results = await runCheckBatch(
      [
        { tenantId: free, dueAtMs: Date.now() },
        { tenantId: busy, dueAtMs: Date.now() },
      ],
      { redis, writer },
    );
    await writer.stop();
    expect(results.map((result) => result.tenantId)).toEqual([free]);
    expect(await redis.get(`ebbflow:check-lock:${busy}`)).toBe("another-worker");
    expect(await redis.exists(`ebbflow:check-lock:${free}`)).toBe(0);
  });
});

describe("triggerCheckNow", () => {
  it("queues the check at the head of the checks queue, ahead of waiting batches", async () => {
    const tenantId = randomUUID();
    const nowMs = Date.now();
    await triggerCheckNow(tenantId, nowMs);
    const job = await checksQueue().getJob(`now-${tenantId}-${Math.floor(nowMs / TRIGGER_DEBOUNCE_MS)}`);
    await job?.remove().catch(() => undefined);
    expect(job?.opts.lifo).toBe(true);
  });
});
