"use client";

import { Line, LineChart, ResponsiveContainer, YAxis } from "recharts";

/** A tiny line of total dynos; the numbers beside it carry the meaning for screen readers. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const data = values.map((v, i) => ({ i, v }));
  return (
    <div className="h-8 w-28" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={[0, Math.max(1, ...values)]} />
          <Line type="stepAfter" dataKey="v" stroke="#6366f1" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
