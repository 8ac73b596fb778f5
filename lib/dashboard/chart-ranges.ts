import { z } from "zod";

/** The time ranges the overview offers, in seconds. */
export const chartRanges = {
  "15m": 900,
  "1h": 3600,
  "6h": 6 * 3600,
  "24h": 24 * 3600,
  "7d": 7 * 86_400,
  "30d": 30 * 86_400,
} as const;

export type ChartRange = keyof typeof chartRanges;
export const chartRangeNames = Object.keys(chartRanges) as ChartRange[];
/** The overview opens on the last hour: where a customer looks first is what just happened. */
export const DEFAULT_CHART_RANGE: ChartRange = "1h";
export const chartRangeSchema = z.enum(["15m", "1h", "6h", "24h", "7d", "30d"]).default(DEFAULT_CHART_RANGE);

/**
 * The range the overview opens on: the last hour once the app has an hour of history, the
 * last 15 minutes before that, so a new app's first minutes fill the chart instead of its
 * right-hand edge. `firstSampleMs` is the oldest recorded sample, null when there is none.
 */
export function openingChartRange(firstSampleMs: number | null, nowMs: number): ChartRange {
  if (firstSampleMs === null || nowMs - firstSampleMs < chartRanges[DEFAULT_CHART_RANGE] * 1000) return "15m";
  return DEFAULT_CHART_RANGE;
}

/** Most points one series may carry, so 30 days draws as fast (and as small) as one hour. */
export const MAX_POINTS_PER_SERIES = 300;

/** Bucket widths a chart may use: round numbers a person reads off an axis. */
const niceBucketSeconds = [2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** The narrowest round bucket that keeps `rangeSeconds` within MAX_POINTS_PER_SERIES buckets. */
export function bucketSecondsFor(rangeSeconds: number, maxPoints = MAX_POINTS_PER_SERIES): number {
  const needed = rangeSeconds / (maxPoints - 1);
  return niceBucketSeconds.find((width) => width >= needed) ?? Math.ceil(needed);
}

export interface ChartWindow {
  range: ChartRange;
  bucketSeconds: number;
  /** Number of the first bucket: buckets are counted from the Unix epoch, so they line up across requests. */
  firstBucket: number;
  bucketCount: number;
  fromMs: number;
  toMs: number;
}

/** The buckets a range covers at `nowMs`, the last one holding `nowMs`. */
export function chartWindow(range: ChartRange, nowMs: number): ChartWindow {
  const rangeSeconds = chartRanges[range];
  const bucketSeconds = bucketSecondsFor(rangeSeconds);
  const lastBucket = Math.floor(nowMs / 1000 / bucketSeconds);
  const bucketCount = Math.floor(rangeSeconds / bucketSeconds) + 1;
  const firstBucket = lastBucket - bucketCount + 1;
  return { range, bucketSeconds, firstBucket, bucketCount, fromMs: firstBucket * bucketSeconds * 1000, toMs: nowMs };
}
