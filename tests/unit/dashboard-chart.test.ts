import { describe, expect, it } from "vitest";
import { chartRows, chartMarkers } from "@/app/components/charts/chart-rows";
import { bucketSecondsFor, chartRangeNames, chartRanges, chartWindow, MAX_POINTS_PER_SERIES, openingChartRange } from "@/lib/dashboard/chart-ranges";
import type { ProcessChartData } from "@/lib/dashboard/load-overview";
import { sparklineFrom } from "@/lib/dashboard/list-app-summaries";

describe("chart windows", () => {
  it("keeps every range within the point budget, with round bucket widths", () => {
    for (const range of chartRangeNames) {
      const window = chartWindow(range, Date.UTC(2026, 10, 22, 12, 34, 56));
      expect(window.bucketCount).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
      expect(window.bucketCount * window.bucketSeconds).toBeGreaterThanOrEqual(chartRanges[range]);
      expect(window.fromMs % (window.bucketSeconds * 1000)).toBe(0);
    }
    expect(bucketSecondsFor(900)).toBe(5);
    expect(bucketSecondsFor(3600)).toBe(15);
    expect(bucketSecondsFor(30 * 86_400)).toBe(10_800);
  });

  it("opens a new app on a live 15-minute view until it has an hour of history", () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    expect(openingChartRange(null, now)).toBe("15m");
    expect(openingChartRange(now - 30_000, now)).toBe("15m");
    expect(openingChartRange(now - 3_599_000, now)).toBe("15m");
    expect(openingChartRange(now - 3_600_000, now)).toBe("1h");
    expect(openingChartRange(now - 40 * 86_400_000, now)).toBe("1h");
  });

  it("expands sparse columns into one row per bucket, gaps left empty", () => {
    const chart: ProcessChartData = {
      processType: "worker",
      enabled: true,
      thresholds: { minQuantity: 0, maxQuantity: 4, metric: "both", jobsPerDyno: 10, upscaleLatencySeconds: 10, downscaleLatencySeconds: 2, web: null },
      series: { bucket: [0, 2], depth: [5, 40], latencyMs: [1500, null], dynos: [1, 3], requestsPerMinute: [null, null], queueTimeP95Ms: [null, null] },
      markers: { bucket: [2], up: [1], down: [0], problems: [0], other: [0] },
    };
    const rows = chartRows(chart, 0, 60, 3);
    expect(rows).toEqual([
      { t: 0, depth: 5, dynos: 1, capacity: 10, latencySeconds: 1.5 },
      { t: 60_000 },
      { t: 120_000, depth: 40, dynos: 3, capacity: 30 },
    ]);
    expect(chartMarkers(chart, 0, 60)).toEqual([{ t: 150_000, kind: "up", count: 1 }]);
  });

  it("carries a web process type's queue time and throughput", () => {
    const chart: ProcessChartData = {
      processType: "web",
      enabled: true,
      thresholds: { minQuantity: 1, maxQuantity: 4, metric: "both", jobsPerDyno: 1, upscaleLatencySeconds: 10, downscaleLatencySeconds: 2, web: { percentile: "p95", upscaleThresholdMs: 100, downscaleThresholdMs: 20 } },
      series: { bucket: [1], depth: [0], latencyMs: [412], dynos: [3], requestsPerMinute: [1240.4], queueTimeP95Ms: [412.37] },
      markers: { bucket: [], up: [], down: [], problems: [], other: [] },
    };
    expect(chartRows(chart, 0, 60, 2)[1]).toEqual({ t: 60_000, depth: 0, dynos: 3, capacity: 3, latencySeconds: 0.4, queueTimeMs: 412.4, requestsPerMinute: 1240 });
  });
});

describe("sparklineFrom", () => {
  it("sums process types and steps at each change", () => {
    const line = sparklineFrom(
      [{ processType: "worker", atMs: 50, fromQuantity: 1, toQuantity: 4 }],
      new Map([
        ["worker", 4],
        ["urgent", 2],
      ]),
      0,
      100,
      3,
    );
    expect(line).toEqual([3, 6, 6]);
  });
});
