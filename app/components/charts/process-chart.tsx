"use client";

import { Area, ComposedChart, Legend, Line, ReferenceArea, ResponsiveContainer, YAxis } from "recharts";
import { axisTick, LowerPanel, MarkerLegend, panelFrame, seriesColors, thresholdBands, type PanelProps } from "@/app/components/charts/chart-parts";
import { chartMarkers, chartRows, sum } from "@/app/components/charts/chart-rows";
import { WebPanel, webBandsNote } from "@/app/components/charts/web-panel";
import { axisTime, formatCount } from "@/app/components/format";
import type { ProcessChartData } from "@/lib/dashboard/load-overview";

interface Props {
  chart: ProcessChartData;
  fromMs: number;
  toMs: number;
  bucketSeconds: number;
  bucketCount: number;
  rangeSeconds: number;
}

type Thresholds = NonNullable<ProcessChartData["thresholds"]>;

/**
 * One process type: dynos as a step line over the rule's min–max band, and below it the queue's
 * depth (with the formation's capacity) and latency (with the upscale and downscale thresholds
 * as bands), or for a web process type its request queue time and throughput (`WebPanel`).
 * Scale events are vertical markers on both; the two panels share a tooltip.
 */
export function ProcessChart({ chart, fromMs, toMs, bucketSeconds, bucketCount, rangeSeconds }: Props) {
  const rows = chartRows(chart, fromMs, bucketSeconds, bucketCount);
  const panel: PanelProps = {
    rows,
    markers: chartMarkers(chart, fromMs, bucketSeconds),
    syncId: `chart-${chart.processType}`,
    fromMs,
    toMs,
    tickFormatter: (ms: number) => axisTime(ms, rangeSeconds),
  };
  const t = chart.thresholds;
  const web = t?.web ?? null;
  const last = [...rows].reverse().find((row) => row.dynos !== undefined);
  const maxDynos = Math.max(t?.maxQuantity ?? 1, ...rows.map((r) => r.dynos ?? 0));
  const ups = sum(chart.markers.up);
  const downs = sum(chart.markers.down);
  const problems = sum(chart.markers.problems);
  const noData = chart.series.bucket.length === 0;
  const measured = web
    ? ` · worst queue time p95 ${formatCount(Math.max(0, ...rows.map((r) => r.queueTimeMs ?? 0)))} ms · busiest ${formatCount(Math.max(0, ...rows.map((r) => r.requestsPerMinute ?? 0)))} requests/min`
    : ` · deepest queue ${formatCount(Math.max(0, ...rows.map((r) => r.depth ?? 0)))} jobs · worst latency ${Math.max(0, ...rows.map((r) => r.latencySeconds ?? 0))} s`;

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
          {measured}
          {` · ${ups} scale-up${ups === 1 ? "" : "s"}, ${downs} scale-down${downs === 1 ? "" : "s"}`}
          {problems > 0 ? `, ${problems} failed` : ""}
        </span>
      </figcaption>
      {noData ? (
        <p className="rounded-md bg-slate-50 p-4 text-sm dark:bg-slate-900">
          {web
            ? "No samples in this range yet. Checks record one per interval once the agents' web middleware reports."
            : "No samples in this range yet. Checks record one per interval once the process type has a rule and a queue source."}
        </p>
      ) : null}
      <div className="h-40 w-full" aria-hidden={noData}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} syncId={panel.syncId} margin={{ top: 8, right: 48, bottom: 0, left: 0 }}>
            {panelFrame(panel)}
            <YAxis allowDecimals={false} domain={[0, maxDynos + 1]} tick={axisTick} stroke="currentColor" width={40} label={{ value: "dynos", angle: -90, position: "insideLeft", fill: "currentColor", fontSize: 12 }} />
            {t ? <ReferenceArea y1={t.minQuantity} y2={t.maxQuantity} fill={seriesColors.dynos} fillOpacity={0.08} ifOverflow="hidden" /> : null}
            <Line type="stepAfter" dataKey="dynos" name="dynos" stroke={seriesColors.dynos} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {web ? <WebPanel {...panel} web={web} hidden={noData} /> : <QueuePanel {...panel} thresholds={t} hidden={noData} />}
      <MarkerLegend
        note={
          web
            ? webBandsNote(web)
            : t && t.metric !== "depth"
              ? `Shaded: above ${t.upscaleLatencySeconds} s latency adds dynos; below ${t.downscaleLatencySeconds} s may remove them.`
              : null
        }
      />
    </figure>
  );
}

/** A queue process type's lower panel: depth with the formation's capacity, and latency with its thresholds. */
function QueuePanel(props: PanelProps & { thresholds: Thresholds | null; hidden: boolean }) {
  const { rows, syncId, thresholds: t } = props;
  const latencyTop = Math.max(Math.max(0, ...rows.map((r) => r.latencySeconds ?? 0)), t ? t.upscaleLatencySeconds * 1.5 : 1);
  const showLatency = t?.metric !== "depth";
  const showCapacity = t !== null && t.metric !== "latency";
  const top = Math.ceil(latencyTop);
  return (
    <LowerPanel rows={rows} syncId={syncId} hidden={props.hidden}>
      {panelFrame(props, "depth")}
      <YAxis yAxisId="depth" allowDecimals={false} tick={axisTick} stroke="currentColor" width={40} label={{ value: "jobs", angle: -90, position: "insideLeft", fill: "currentColor", fontSize: 12 }} />
      <YAxis yAxisId="latency" orientation="right" domain={[0, top]} tick={axisTick} stroke="currentColor" width={48} unit=" s" />
      {t && showLatency ? thresholdBands("latency", t.upscaleLatencySeconds, t.downscaleLatencySeconds, top) : null}
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Area yAxisId="depth" type="linear" dataKey="depth" name="queue depth" stroke={seriesColors.depth} fill={seriesColors.depth} fillOpacity={0.25} isAnimationActive={false} />
      {showCapacity ? (
        <Line yAxisId="depth" type="stepAfter" dataKey="capacity" name="capacity (dynos × jobs per dyno)" stroke={seriesColors.capacity} strokeDasharray="4 3" dot={false} connectNulls isAnimationActive={false} />
      ) : null}
      {showLatency ? <Line yAxisId="latency" type="linear" dataKey="latencySeconds" name="latency (s)" stroke={seriesColors.latency} dot={false} isAnimationActive={false} /> : null}
    </LowerPanel>
  );
}
