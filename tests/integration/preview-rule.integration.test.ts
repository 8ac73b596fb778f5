import { describe, expect, it } from "vitest";
import { useMigratedScratchDatabase } from "../helpers/database";

/** Its own database, so the samples it writes are the only ones the preview can read. */
useMigratedScratchDatabase("preview");

describe("previewRule", () => {
  it("replays the whole last 24 h: per-minute roll-ups past the two hours raw samples are kept, raw samples after", async () => {
    const { db } = await import("@/lib/db/client");
    const { previewRule } = await import("@/lib/dashboard/preview-rule");
    const { parseProcessRule } = await import("@/lib/scaling/rules");
    const now = new Date("2026-11-22T12:00:00Z");
    const tenant = await db.tenant.create({ data: { channel: "heroku", appName: "preview-app", plan: "standard", state: "active" } });
    const row = (sampledAt: Date, resolution: "raw" | "minute", depth: number, dynos: number) => ({
      tenantId: tenant.id, processType: "worker", resolution, sampledAt, depth, latencyMs: depth > 0 ? 5_000 : null, busy: depth > 0 ? 2 : 0, scheduled: 0, retries: 0, dynos,
    });
    const data = [];
    // 20 h ago to 2 h ago, one row a minute: 2 dynos, and a 10-job backlog every hour on the hour.
    for (let t = now.getTime() - 20 * 3600_000; t < now.getTime() - 2 * 3600_000; t += 60_000) {
      data.push(row(new Date(t), "minute", new Date(t).getUTCMinutes() === 0 ? 10 : 0, 2));
    }
    const minuteRows = data.length;
    // The last 2 h at the standard plan's 10 s checks: 1 dyno, nothing queued.
    for (let t = now.getTime() - 2 * 3600_000; t < now.getTime(); t += 10_000) data.push(row(new Date(t), "raw", 0, 1));
    await db.metricSample.createMany({ data });

    const preview = await previewRule(tenant.id, parseProcessRule({ processType: "worker", maxQuantity: 6, concurrencyPerDyno: 2, scaleToZero: { keepWarmAfterStarts: 0 } }), now);
    expect(minuteRows).toBe(18 * 60);
    expect(preview.samples).toBe(data.length);
    // Recorded: 18 h at 2 dynos and 2 h at 1 (to within the last step).
    expect(preview.recordedDynoHours).toBeCloseTo(18 * 2 + 2 * 1, 1);
    // The chart spans the 18 h of minute rows too, and the replayed rule answered the backlogs.
    expect(preview.bucket.length).toBeGreaterThan(200);
    expect(Math.max(...preview.previewDynos)).toBeGreaterThanOrEqual(5);
    // Up for each of the 18 hourly backlogs and down after each.
    expect(preview.previewChanges).toBeGreaterThanOrEqual(2 * 18);
  });
});
