import { describe, expect, it } from "vitest";
import { useMigratedScratchDatabase } from "../helpers/database";

/** Its own database: the roll-up works on every tenant's samples at once. */
useMigratedScratchDatabase("rollup");

describe("rollUpSamples", () => {
  it("folds old raw samples into minutes and old minutes into hours, keeping the worst of each, and drops expired ones", async () => {
    const { db } = await import("@/lib/db/client");
    const { rollUpSamples } = await import("@/lib/checks/roll-up-samples");
    const now = new Date("2026-11-22T12:00:30Z");
    const tenant = await db.tenant.create({ data: { channel: "heroku", appName: "rollup-app", plan: "standard", state: "active" } });
    const hobby = await db.tenant.create({ data: { channel: "heroku", appName: "rollup-hobby", plan: "hobby", state: "active" } });
    const at = (iso: string) => new Date(iso);
    const sample = (tenantId: string, sampledAt: Date, depth: number, dynos: number, resolution: "raw" | "minute" = "raw") => ({
      tenantId, processType: "worker", resolution, sampledAt, depth, latencyMs: depth * 100, busy: dynos, scheduled: 0, retries: 0, dynos,
      // A web process type's numbers fold the same way: the busiest rate, the worst queue time.
      requestsPerMinute: depth * 10.5, queueTimeP95Ms: depth + 0.25,
    });
    await db.metricSample.createMany({
      data: [
        // Three hours ago: one minute with three checks, the next with one.
        sample(tenant.id, at("2026-11-22T09:00:05Z"), 4, 1),
        sample(tenant.id, at("2026-11-22T09:00:15Z"), 9, 2),
        sample(tenant.id, at("2026-11-22T09:00:25Z"), 1, 2),
        sample(tenant.id, at("2026-11-22T09:01:05Z"), 3, 3),
        // Recent: stays raw.
        sample(tenant.id, at("2026-11-22T11:30:00Z"), 7, 1),
        // Minute rows three days ago: fold into one hour.
        sample(tenant.id, at("2026-11-19T10:05:00Z"), 5, 1, "minute"),
        sample(tenant.id, at("2026-11-19T10:40:00Z"), 8, 4, "minute"),
        // A hobby app keeps one day: two days ago is gone.
        sample(hobby.id, at("2026-11-20T11:00:00Z"), 2, 1, "minute"),
      ],
    });

    // Counts are rows written: two minutes; two hours (the hobby app's too, before it expires).
    expect(await rollUpSamples(now)).toMatchObject({ rawFolded: 2, minutesFolded: 2, expired: 1, partitionsDropped: [] });
    const rows = await db.metricSample.findMany({
      where: { tenantId: { in: [tenant.id, hobby.id] } },
      orderBy: [{ sampledAt: "asc" }],
      select: { tenantId: true, resolution: true, sampledAt: true, depth: true, latencyMs: true, dynos: true, requestsPerMinute: true, queueTimeP95Ms: true },
    });
    expect(rows).toEqual([
      { tenantId: tenant.id, resolution: "hour", sampledAt: at("2026-11-19T10:00:00Z"), depth: 8, latencyMs: 800, dynos: 4, requestsPerMinute: 84, queueTimeP95Ms: 8.25 },
      { tenantId: tenant.id, resolution: "minute", sampledAt: at("2026-11-22T09:00:00Z"), depth: 9, latencyMs: 900, dynos: 2, requestsPerMinute: 94.5, queueTimeP95Ms: 9.25 },
      { tenantId: tenant.id, resolution: "minute", sampledAt: at("2026-11-22T09:01:00Z"), depth: 3, latencyMs: 300, dynos: 3, requestsPerMinute: 31.5, queueTimeP95Ms: 3.25 },
      { tenantId: tenant.id, resolution: "raw", sampledAt: at("2026-11-22T11:30:00Z"), depth: 7, latencyMs: 700, dynos: 1, requestsPerMinute: 73.5, queueTimeP95Ms: 7.25 },
    ]);

    // Running again changes nothing: every fold already happened.
    expect(await rollUpSamples(now)).toEqual({ rawFolded: 0, minutesFolded: 0, expired: 0, partitionsCreated: [], partitionsDropped: [] });
  });
});
