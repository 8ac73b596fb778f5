"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { seriesColors } from "@/app/components/charts/chart-parts";
import { axisTime, fullTime } from "@/app/components/format";
import type { RulePreview } from "@/lib/dashboard/preview-rule";

const axisTick = { fill: "currentColor", fontSize: 12 };

/** The recorded queue and formation of the last 24 h, and the formation the edited rule would have run. */
export function PreviewChart({ preview }: { preview: RulePreview }) {
  const rows = preview.bucket.map((bucket, i) => ({
    t: preview.fromMs + bucket * preview.bucketSeconds * 1000,
    depth: preview.depth[i],
    recorded: preview.recordedDynos[i] ?? undefined,
    preview: preview.previewDynos[i],
  }));
  return (
    <div className="h-56 w-full text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
          <XAxis dataKey="t" type="number" scale="time" domain={[preview.fromMs, preview.toMs]} tickFormatter={(ms: number) => axisTime(ms, 86_400)} tick={axisTick} stroke="currentColor" />
          <YAxis yAxisId="dynos" allowDecimals={false} tick={axisTick} stroke="currentColor" width={40} />
          <YAxis yAxisId="depth" orientation="right" tick={axisTick} stroke="currentColor" width={48} />
          <Tooltip labelFormatter={(ms) => fullTime(Number(ms))} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area yAxisId="depth" dataKey="depth" name="queue depth (recorded)" stroke={seriesColors.depth} fill={seriesColors.depth} fillOpacity={0.2} isAnimationActive={false} />
          <Line yAxisId="dynos" type="stepAfter" dataKey="recorded" name="dynos (recorded)" stroke={seriesColors.capacity} strokeDasharray="4 3" dot={false} connectNulls isAnimationActive={false} />
          <Line yAxisId="dynos" type="stepAfter" dataKey="preview" name="dynos (these rules)" stroke={seriesColors.dynos} strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
