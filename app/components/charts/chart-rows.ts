import type { ProcessChartData } from "@/lib/dashboard/load-overview";

/** One bucket as the chart draws it; undefined where the bucket had no samples. */
export interface ChartRow {
  t: number;
  dynos?: number;
  depth?: number;
  latencySeconds?: number;
  /** Jobs the formation absorbs (dynos × jobs per dyno): depth above it asks for more dynos. */
  capacity?: number;
  /** Web: worst queue-time p95 in the bucket, ms. */
  queueTimeMs?: number;
  /** Web: busiest request rate in the bucket, requests a minute. */
  requestsPerMinute?: number;
}

export interface ChartMarker {
  t: number;
  kind: "up" | "down" | "problem" | "other";
  count: number;
}

/** Expands the column arrays the server sends into one row per bucket of the window. */
export function chartRows(chart: ProcessChartData, fromMs: number, bucketSeconds: number, bucketCount: number): ChartRow[] {
  const bucketMs = bucketSeconds * 1000;
  const rows: ChartRow[] = Array.from({ length: bucketCount }, (_, i) => ({ t: fromMs + i * bucketMs }));
  const perDyno = chart.thresholds?.jobsPerDyno ?? null;
  chart.series.bucket.forEach((bucket, i) => {
    const row = rows[bucket];
    if (!row) return;
    const dynos = chart.series.dynos[i];
    const latencyMs = chart.series.latencyMs[i];
    row.depth = chart.series.depth[i];
    if (dynos !== null && dynos !== undefined) {
      row.dynos = dynos;
      if (perDyno !== null) row.capacity = dynos * perDyno;
    }
    if (latencyMs !== null && latencyMs !== undefined) row.latencySeconds = Math.round(latencyMs / 100) / 10;
    const queueTimeMs = chart.series.queueTimeP95Ms[i];
    const requestsPerMinute = chart.series.requestsPerMinute[i];
    if (queueTimeMs !== null && queueTimeMs !== undefined) row.queueTimeMs = Math.round(queueTimeMs * 10) / 10;
    if (requestsPerMinute !== null && requestsPerMinute !== undefined) row.requestsPerMinute = Math.round(requestsPerMinute);
  });
  return rows;
}

/** One marker per bucket and kind that saw scale events, at the bucket's middle. */
export function chartMarkers(chart: ProcessChartData, fromMs: number, bucketSeconds: number): ChartMarker[] {
  const markers: ChartMarker[] = [];
  const { bucket, up, down, problems, other } = chart.markers;
  bucket.forEach((b, i) => {
    const t = fromMs + (b + 0.5) * bucketSeconds * 1000;
    if (up[i]) markers.push({ t, kind: "up", count: up[i] ?? 0 });
    if (down[i]) markers.push({ t, kind: "down", count: down[i] ?? 0 });
    if (problems[i]) markers.push({ t, kind: "problem", count: problems[i] ?? 0 });
    if (other[i]) markers.push({ t, kind: "other", count: other[i] ?? 0 });
  });
  return markers;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
