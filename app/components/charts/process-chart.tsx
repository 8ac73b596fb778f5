"use client";

import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { chartMarkers, chartRows, sum } from "@/app/components/charts/chart-rows";
import { axisTime, formatCount, fullTime } from "@/app/components/format";
import type { ProcessChartData } from "@/lib/dashboard/load-overview";

export const seriesColors = {
  dynos: "#6366f1",
  depth: "#f59e0b",
  latency: "#e11d48",
  capacity: "#64748b",
  up: "#059669",
  down: "#0284c7",
  problem: "#dc2626",
  other: "#94a3b8",
} as const;

interface Props {
  chart: ProcessChartData;
  fromMs: number;
  toMs: number;
  bucketSeconds: number;
  bucketCount: number;
  rangeSeconds: number;
}

const axisTick = { fill: "currentColor", fontSize: 12 };

/**
 * One process type: dynos as a step line over the rule's min–max band, and below it the queue's
 * depth (with the formation's capacity) and latency (with the upscale and downscale thresholds
 * as bands). Scale events are vertical markers on both; the two panels share a tooltip.
 */
export function ProcessChart({ chart, fromMs, toMs, bucketSeconds, bucketCount, rangeSeconds }: Props) {
  const rows = chartRows(chart, fromMs, bucketSeconds, bucketCount);
  const markers = chartMarkers(chart, fromMs, bucketSeconds);
  const t = chart.thresholds;
  const last = [...rows].reverse().find((row) => row.dynos !== undefined);
  const maxDepth = Math.max(0, ...rows.map((r) => r.depth ?? 0));
  const maxLatency = Math.max(0, ...rows.map((r) => r.latencySeconds ?? 0));
  const maxDynos = Math.max(t?.maxQuantity ?? 1, ...rows.map((r) => r.dynos ?? 0));
  const ups = sum(chart.markers.up);
  const downs = sum(chart.markers.down);
  const problems = sum(chart.markers.problems);
  const latencyTop = Math.max(maxLatency, t ? t.upscaleLatencySeconds * 1.5 : 1);
  const syncId = `chart-${chart.processType}`;
  const tickFormatter = (ms: number) => axisTime(ms, rangeSeconds);
  const showLatency = t?.metric !== "depth";
  const showCapacity = t !== null && t.metric !== "latency";
  const noData = chart.series.bucket.length === 0;

  const markerLines = markers.map((m) => (
    <ReferenceLine
      key={`${m.kind}-${m.t}`}
      x={m.t}
      stroke={seriesColors[m.kind]}
      strokeDasharray={m.kind === "other" ? "2 3" : undefined}
      strokeWidth={1.5}
      ifOverflow="hidden"
    />
  ));

  return (
    <figure
      data-testid={`chart-${chart.processType}`}
      data-scale-ups={ups}
      data-scale-downs={downs}
      className="flex flex-col gap-2 rounded-lg border border-slate-200 p-4 text-slate-600 dark:border-slate-800 dark:text-slate-300"
    >
      <figcaption className="flex flex-col gap-1">
        <span className="text-base font-semibold text-slate-900 dark:text-slate-100">
          {chart.processType}
          {chart.enabled ? "" : " (not autoscaled)"}
        </span>
        <span className="text-sm">
          {last ? `${last.dynos} dyno${last.dynos === 1 ? "" : "s"} now` : "No dynos recorded yet"}
          {t ? ` · min ${t.minQuantity}, max ${t.maxQuantity}` : " · no rule"}
          {` · deepest queue ${formatCount(maxDepth)} jobs · worst latency ${maxLatency} s`}
          {` · ${ups} scale-up${ups === 1 ? "" : "s"}, ${downs} scale-down${downs === 1 ? "" : "s"}`}
          {problems > 0 ? `, ${problems} failed` : ""}
        </span>
      </figcaption>
      {noData ? (
        <p className="rounded-md bg-slate-50 p-4 text-sm dark:bg-slate-900">
          No samples in this range yet. Checks record one per interval once the process type has a rule and a queue source.
        </p>
      ) : null}
      <div className="h-40 w-full" aria-hidden={noData}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} syncId={syncId} margin={{ top: 8, right: 48, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
            <XAxis dataKey="t" type="number" scale="time" domain={[fromMs, toMs]} tickFormatter={tickFormatter} tick={axisTick} stroke="currentColor" />
            <YAxis allowDecimals={false} domain={[0, maxDynos + 1]} tick={axisTick} stroke="currentColor" width={40} label={{ value: "dynos", angle: -90, position: "insideLeft", fill: "currentColor", fontSize: 12 }} />
            {t ? <ReferenceArea y1={t.minQuantity} y2={t.maxQuantity} fill={seriesColors.dynos} fillOpacity={0.08} ifOverflow="hidden" /> : null}
            {markerLines}
            <Tooltip labelFormatter={(ms) => fullTime(Number(ms))} contentStyle={{ fontSize: 12 }} />
            <Line type="stepAfter" dataKey="dynos" name="dynos" stroke={seriesColors.dynos} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div className="h-44 w-full" aria-hidden={noData}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} syncId={syncId} margin={{ top: 8, right: 0, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
            <XAxis dataKey="t" type="number" scale="time" domain={[fromMs, toMs]} tickFormatter={tickFormatter} tick={axisTick} stroke="currentColor" />
            <YAxis yAxisId="depth" allowDecimals={false} tick={axisTick} stroke="currentColor" width={40} label={{ value: "jobs", angle: -90, position: "insideLeft", fill: "currentColor", fontSize: 12 }} />
            <YAxis yAxisId="latency" orientation="right" domain={[0, Math.ceil(latencyTop)]} tick={axisTick} stroke="currentColor" width={48} unit=" s" />
            {t && showLatency ? (
              <>
                <ReferenceArea yAxisId="latency" y1={t.upscaleLatencySeconds} y2={Math.ceil(latencyTop)} fill={seriesColors.latency} fillOpacity={0.07} ifOverflow="hidden" />
                <ReferenceArea yAxisId="latency" y1={0} y2={t.downscaleLatencySeconds} fill={seriesColors.up} fillOpacity={0.07} ifOverflow="hidden" />
              </>
            ) : null}
            {markers.map((m) => (
              <ReferenceLine key={`q-${m.kind}-${m.t}`} yAxisId="depth" x={m.t} stroke={seriesColors[m.kind]} strokeOpacity={0.6} ifOverflow="hidden" />
            ))}
            <Tooltip labelFormatter={(ms) => fullTime(Number(ms))} contentStyle={{ fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Area yAxisId="depth" type="linear" dataKey="depth" name="queue depth" stroke={seriesColors.depth} fill={seriesColors.depth} fillOpacity={0.25} isAnimationActive={false} />
            {showCapacity ? (
              <Line yAxisId="depth" type="stepAfter" dataKey="capacity" name="capacity (dynos × jobs per dyno)" stroke={seriesColors.capacity} strokeDasharray="4 3" dot={false} connectNulls isAnimationActive={false} />
            ) : null}
            {showLatency ? (
              <Line yAxisId="latency" type="linear" dataKey="latencySeconds" name="latency (s)" stroke={seriesColors.latency} dot={false} isAnimationActive={false} />
            ) : null}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
        <LegendSwatch color={seriesColors.up} label="scale-up" />
        <LegendSwatch color={seriesColors.down} label="scale-down" />
        <LegendSwatch color={seriesColors.problem} label="failed or not authorized" />
        <LegendSwatch color={seriesColors.other} label="dry run or changed on Heroku" />
        {t && showLatency ? (
          <span>
            Shaded: above {t.upscaleLatencySeconds} s latency adds dynos; below {t.downscaleLatencySeconds} s may remove them.
          </span>
        ) : null}
      </p>
    </figure>
  );
}

function LegendSwatch({ color, label }: { color: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <span aria-hidden="true" className="inline-block h-3 w-0.5" style={{ backgroundColor: color }} />
      {label}
    </span>
  );
}
