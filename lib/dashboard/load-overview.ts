import type { AppStatus } from "@/lib/dashboard/app-status";
import { chartWindow, type ChartRange } from "@/lib/dashboard/chart-ranges";
import { loadAppSetup } from "@/lib/dashboard/load-app-setup";
import { emptySeries, loadChartMarkers, loadChartSeries, type MarkerColumns, type SeriesColumns } from "@/lib/dashboard/load-chart-series";
import { listRecentDecisions, type DecisionLine } from "@/lib/dashboard/list-recent-decisions";
import { webRedis } from "@/lib/redis/connection";
import { jobsPerDynoOf } from "@/lib/scaling/rules";

/** What one process type's chart draws: its series, its scale events and its rule's thresholds. */
export interface ProcessChartData {
  processType: string;
  enabled: boolean;
  thresholds: {
    minQuantity: number;
    maxQuantity: number;
    metric: "depth" | "latency" | "both";
    jobsPerDyno: number;
    upscaleLatencySeconds: number;
    downscaleLatencySeconds: number;
    /** Web rules: the queue-time percentile and thresholds; null for queue rules. */
    web: { percentile: "p95" | "p90"; upscaleThresholdMs: number; downscaleThresholdMs: number } | null;
  } | null;
  series: SeriesColumns;
  markers: MarkerColumns;
}

/** Everything the overview shows and refreshes while it is open. */
export interface OverviewData {
  generatedAtMs: number;
  window: { range: ChartRange; bucketSeconds: number; fromMs: number; toMs: number; bucketCount: number };
  checkIntervalSeconds: number;
  status: AppStatus;
  charts: ProcessChartData[];
  decisions: DecisionLine[];
}

/** The overview's data for one range: at most one point per bucket per series. */
export async function loadOverview(tenantId: string, range: ChartRange, now: Date = new Date()): Promise<OverviewData> {
  const window = chartWindow(range, now.getTime());
  const setup = await loadAppSetup(tenantId, now);
  const names = setup.processTypes.map((p) => p.processType);
  const [series, markers, decisions] = await Promise.all([
    loadChartSeries(tenantId, names, window, webRedis()),
    loadChartMarkers(tenantId, names, window),
    listRecentDecisions(tenantId),
  ]);
  const noMarkers = { bucket: [], up: [], down: [], problems: [], other: [] };
  return {
    generatedAtMs: now.getTime(),
    window: { range, bucketSeconds: window.bucketSeconds, fromMs: window.fromMs, toMs: window.toMs, bucketCount: window.bucketCount },
    checkIntervalSeconds: setup.plan.checkIntervalSeconds,
    status: setup.status,
    charts: setup.processTypes.map((p) => ({
      processType: p.processType,
      enabled: p.enabled,
      thresholds: p.rule
        ? {
            minQuantity: p.rule.minQuantity,
            maxQuantity: p.rule.maxQuantity,
            metric: p.rule.metric,
            jobsPerDyno: jobsPerDynoOf(p.rule),
            upscaleLatencySeconds: p.rule.upscaleLatencySeconds,
            downscaleLatencySeconds: p.rule.downscaleLatencySeconds,
            web:
              p.rule.kind === "web"
                ? { percentile: p.rule.web.percentile, upscaleThresholdMs: p.rule.web.upscaleThresholdMs, downscaleThresholdMs: p.rule.web.downscaleThresholdMs }
                : null,
          }
        : null,
      series: series.get(p.processType) ?? emptySeries(),
      markers: markers.get(p.processType) ?? noMarkers,
    })),
    decisions,
  };
}
