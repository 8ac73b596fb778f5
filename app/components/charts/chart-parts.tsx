"use client";

import type { ReactNode } from "react";
import { CartesianGrid, ComposedChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis } from "recharts";
import type { ChartMarker, ChartRow } from "@/app/components/charts/chart-rows";
import { fullTime } from "@/app/components/format";

/** The building blocks every process chart panel shares: colours, axes, markers, legend. */
export const seriesColors = {
  dynos: "#6366f1",
  depth: "#f59e0b",
  latency: "#e11d48",
  capacity: "#64748b",
  throughput: "#0d9488",
  up: "#059669",
  down: "#0284c7",
  problem: "#dc2626",
  other: "#94a3b8",
} as const;

export const axisTick = { fill: "currentColor", fontSize: 12 };

/** What every panel of one process type's chart draws on: the same rows, markers and time axis. */
export interface PanelProps {
  rows: ChartRow[];
  markers: ChartMarker[];
  syncId: string;
  fromMs: number;
  toMs: number;
  tickFormatter: (ms: number) => string;
}

/**
 * The grid, time axis and tooltip of a panel, and its scale-event markers. Recharts reads its
 * children by type, so this is a function returning elements, not a component.
 */
export function panelFrame({ markers, fromMs, toMs, tickFormatter }: PanelProps, yAxisId?: string) {
  return [
    <CartesianGrid key="grid" strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />,
    <XAxis key="x" dataKey="t" type="number" scale="time" domain={[fromMs, toMs]} tickFormatter={tickFormatter} tick={axisTick} stroke="currentColor" />,
    ...markers.map((m) => (
      <ReferenceLine
        key={`${yAxisId ?? "m"}-${m.kind}-${m.t}`}
        {...(yAxisId ? { yAxisId } : {})}
        x={m.t}
        stroke={seriesColors[m.kind]}
        strokeOpacity={yAxisId ? 0.6 : 1}
        strokeDasharray={!yAxisId && m.kind === "other" ? "2 3" : undefined}
        strokeWidth={yAxisId ? 1 : 1.5}
        ifOverflow="hidden"
      />
    )),
    <Tooltip key="tooltip" labelFormatter={(ms) => fullTime(Number(ms))} contentStyle={{ fontSize: 12 }} />,
  ];
}

/** A lower panel's box and chart, on the same rows and sync id as the dynos panel above it. */
export function LowerPanel({ rows, syncId, hidden, children }: Pick<PanelProps, "rows" | "syncId"> & { hidden: boolean; children: ReactNode }) {
  return (
    <div className="h-44 w-full" aria-hidden={hidden}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} syncId={syncId} margin={{ top: 8, right: 0, bottom: 0, left: 0 }}>
          {children}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * A rule's thresholds as shaded bands on a panel's right axis: above `up` (to `top`) adds
 * dynos, below `down` removes them. Elements, not a component, for the reason `panelFrame` gives.
 */
export function thresholdBands(yAxisId: string, up: number, down: number, top: number) {
  return [
    <ReferenceArea key="band-up" yAxisId={yAxisId} y1={up} y2={top} fill={seriesColors.latency} fillOpacity={0.07} ifOverflow="hidden" />,
    <ReferenceArea key="band-down" yAxisId={yAxisId} y1={0} y2={down} fill={seriesColors.up} fillOpacity={0.07} ifOverflow="hidden" />,
  ];
}

/** The markers' key, with a sentence about the shaded bands. */
export function MarkerLegend({ note }: { note: string | null }) {
  return (
    <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
      <LegendSwatch color={seriesColors.up} label="scale-up" />
      <LegendSwatch color={seriesColors.down} label="scale-down" />
      <LegendSwatch color={seriesColors.problem} label="failed or not authorized" />
      <LegendSwatch color={seriesColors.other} label="dry run or changed on Heroku" />
      {note ? <span>{note}</span> : null}
    </p>
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
