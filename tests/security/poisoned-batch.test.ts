import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { RecordWriter, type SampleRow } from "@/lib/checks/record-writer";
import { db, disconnectDb } from "@/lib/db/client";
import { pushReportSchema } from "@/lib/queues/push";
import { parseEbbflowReport, parseHirefire } from "@/lib/queues/pull/parse-response";
import { httpSourceOptionsSchema, queueSourceSchema } from "@/lib/queues/schema";

/*
 * One tenant's values used to fail the batched writes of every tenant: a push report with
 * depth 3 000 000 000 (an int column holds 2 147 483 647) or a NUL byte (Postgres text refuses
 * it) passed validation, and the shared UNNEST statement then failed for all. Now numbers and
 * names are bounded where they are parsed, rows are made to fit before the batch, and a batch
 * Postgres still refuses is split until only the bad row is left out.
 */
const tenantIds: string[] = [];

async function newTenant(): Promise<string> {
  const tenant = await db.tenant.create({
    data: { channel: "direct", appName: `sec-batch-${randomUUID().slice(0, 8)}`, plan: "standard", state: "active" },
    select: { id: true },
  });
  tenantIds.push(tenant.id);
  return tenant.id;
}

afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: tenantIds } } });
  await disconnectDb();
});

function sample(tenantId: string, sampledAt: Date, overrides: Partial<SampleRow> = {}): SampleRow {
  return { tenantId, processType: "worker", sampledAt, depth: 7, latencyMs: 1200, busy: 2, scheduled: 0, retries: 0, dynos: 1, ...overrides };
}

describe("a poisoned tenant in the same batch as healthy ones", () => {
  it("cannot fail the healthy tenants' samples or health", async () => {
    const healthy = [await newTenant(), await newTenant(), await newTenant(), await newTenant()];
    const poisoned = await newTenant();
    const gone = await newTenant();
    await db.tenant.delete({ where: { id: gone } }); // its rows now violate the foreign key
    const at = new Date("2026-04-01T12:00:00.000Z");
    const writer = new RecordWriter(60_000, 10_000);

    writer.addSample(sample(healthy[0] ?? "", at));
    writer.addSample(sample(poisoned, at, { depth: 3_000_000_000, latencyMs: 1e15, busy: -5, scheduled: Number.NaN, retries: Number.POSITIVE_INFINITY }));
    writer.addSample(sample(healthy[1] ?? "", at));
    writer.addSample(sample(poisoned, at, { processType: "wor\u0000ker" }));
    writer.addSample(sample(gone, at));
    writer.addSample(sample(healthy[2] ?? "", at));
    writer.addSample(sample(poisoned, new Date(Number.NaN)));
    writer.addSample(sample(healthy[3] ?? "", at));
    for (const tenantId of healthy) writer.setHealth({ tenantId, checkedAt: at, good: true, error: null });
    writer.setHealth({ tenantId: poisoned, checkedAt: at, good: false, error: "namespace \u0000 broke \ud800 it" });
    writer.setHealth({ tenantId: gone, checkedAt: at, good: false, error: "gone" });
    await writer.flush();

    const samples = await db.metricSample.findMany({ where: { tenantId: { in: [...healthy, poisoned] } }, select: { tenantId: true, depth: true, latencyMs: true, busy: true, scheduled: true, retries: true, processType: true } });
    for (const tenantId of healthy) {
      expect(samples.filter((row) => row.tenantId === tenantId), `samples of healthy tenant ${tenantId}`).toEqual([
        { tenantId, depth: 7, latencyMs: 1200, busy: 2, scheduled: 0, retries: 0, processType: "worker" },
      ]);
    }
    // The poisoned tenant's numbers are clamped to what the columns hold, not lost.
    expect(samples.filter((row) => row.tenantId === poisoned)).toEqual(
      expect.arrayContaining([{ tenantId: poisoned, depth: 2_147_483_647, latencyMs: 2_147_483_647, busy: 0, scheduled: null, retries: 2_147_483_647, processType: "worker" }]),
    );
    const health = await db.tenant.findMany({ where: { id: { in: [...healthy, poisoned] } }, select: { id: true, lastCheckAt: true, lastError: true } });
    for (const row of health) expect(row.lastCheckAt?.toISOString(), `health of ${row.id}`).toBe(at.toISOString());
    expect(health.find((row) => row.id === poisoned)?.lastError).toBe("namespace  broke \ufffd it");
  });
});

describe("values are bounded where they are parsed", () => {
  it("push reports: depth, latency and busy fit an integer; names have no control characters", () => {
    const queue = { name: "default", depth: 1, latency_ms: 0, busy: 0 };
    expect(pushReportSchema.safeParse({ queues: [queue] }).success).toBe(true);
    expect(pushReportSchema.safeParse({ queues: [{ ...queue, depth: 2_147_483_647 }] }).success).toBe(true);
    for (const bad of [{ depth: 3_000_000_000 }, { latency_ms: 2_147_483_648 }, { busy: 1e12 }, { name: "de\u0000fault" }, { name: "a\nb" }]) {
      expect(pushReportSchema.safeParse({ queues: [{ ...queue, ...bad }] }).success, JSON.stringify(bad)).toBe(false);
    }
    expect(pushReportSchema.safeParse({ process_type: "work\u0000er", queues: [] }).success).toBe(false);
  });

  it("queue sources: namespaces, prefixes, queue names and process types refuse NUL and control characters", () => {
    const base = { backend: "sidekiq", url: "redis://example.com:6379/0" } as const;
    expect(queueSourceSchema.safeParse({ ...base, namespace: "app" }).success).toBe(true);
    expect(queueSourceSchema.safeParse({ ...base, namespace: "a\u0000pp" }).success).toBe(false);
    expect(queueSourceSchema.safeParse({ ...base, queues: ["de\u0000fault"] }).success).toBe(false);
    expect(queueSourceSchema.safeParse({ backend: "bullmq", url: base.url, prefix: "bu\u0007ll" }).success).toBe(false);
    expect(httpSourceOptionsSchema.safeParse({ processType: "wor\u0000ker" }).success).toBe(false);
  });

  it("pulls: HireFire values and Ebbflow reports fit the columns", () => {
    const options = httpSourceOptionsSchema.parse({});
    expect(parseHirefire([{ name: "worker", value: 12 }], options).queues[0]?.depth).toBe(12);
    expect(() => parseHirefire([{ name: "worker", value: 3_000_000_000 }], options)).toThrow(/HireFire/);
    expect(() => parseHirefire([{ name: "worker", value: 3_000_000 }], { ...options, hirefireMetric: "latency" })).toThrow(/larger than Ebbflow can record/);
    expect(() => parseHirefire([{ name: "wor\u0000ker", value: 1 }], options)).toThrow();
    expect(() => parseEbbflowReport({ queues: [{ name: "q", depth: 3_000_000_000, latencyMs: null, busy: null }] })).toThrow(/depth/);
    expect(() => parseEbbflowReport({ queues: [{ name: "q", depth: 1, latencyMs: null, busy: 5e9 }] })).toThrow(/busy/);
  });
});
