"use client";

import { Area, Legend, Line, YAxis } from "recharts";
import { axisTick, LowerPanel, panelFrame, seriesColors, thresholdBands, type PanelProps } from "@/app/components/charts/chart-parts";

export interface WebThresholds {
  percentile: "p95" | "p90";
  upscaleThresholdMs: number;
  downscaleThresholdMs: number;
}

/**
 * A web process type's lower panel: request queue time p95 (ms, right axis) with the rule's
 * thresholds as bands, over the throughput in requests a minute (left axis).
 */
export function WebPanel(props: PanelProps & { web: WebThresholds; hidden: boolean }) {
  const { rows, syncId, web } = props;
  const worst = Math.max(0, ...rows.map((r) => r.queueTimeMs ?? 0));
  const top = Math.ceil(Math.max(worst, web.upscaleThresholdMs * 1.5));
  return (
    <LowerPanel rows={rows} syncId={syncId} hidden={props.hidden}>
      {panelFrame(props, "throughput")}
      <YAxis yAxisId="throughput" allowDecimals={false} tick={axisTick} stroke="currentColor" width={48} label={{ value: "requests/min", angle: -90, position: "insideLeft", fill: "currentColor", fontSize: 12 }} />
      <YAxis yAxisId="queue" orientation="right" domain={[0, top]} tick={axisTick} stroke="currentColor" width={56} unit=" ms" />
      {thresholdBands("queue", web.upscaleThresholdMs, web.downscaleThresholdMs, top)}
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Area yAxisId="throughput" type="linear" dataKey="requestsPerMinute" name="throughput (requests/min)" stroke={seriesColors.throughput} fill={seriesColors.throughput} fillOpacity={0.2} isAnimationActive={false} />
      <Line yAxisId="queue" type="linear" dataKey="queueTimeMs" name="queue time p95 (ms)" stroke={seriesColors.latency} dot={false} isAnimationActive={false} />
    </LowerPanel>
  );
}

/** The sentence under a web chart about its shaded bands. */
export function webBandsNote(web: WebThresholds): string {
  return `Shaded: ${web.percentile} queue time above ${web.upscaleThresholdMs} ms adds dynos; below ${web.downscaleThresholdMs} ms removes one at a time.`;
}
