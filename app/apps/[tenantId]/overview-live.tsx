"use client";

import { useEffect, useRef, useState } from "react";
import { ProcessChart } from "@/app/components/charts/process-chart";
import { DecisionList } from "@/app/components/decision-list";
import { StatusBadge } from "@/app/components/status-badge";
import { chartRangeNames, chartRanges, type ChartRange } from "@/lib/dashboard/chart-ranges";
import type { OverviewData } from "@/lib/dashboard/load-overview";

const rangeLabels: Record<ChartRange, string> = { "15m": "15 minutes", "1h": "1 hour", "6h": "6 hours", "24h": "24 hours", "7d": "7 days", "30d": "30 days" };

/** How often the open page asks for fresh data: about one check interval, within 2 to 10 s (30 s for long ranges). */
function pollMs(data: OverviewData): number {
  if (chartRanges[data.window.range] > 86_400) return 30_000;
  return Math.min(10, Math.max(2, data.checkIntervalSeconds)) * 1000;
}

/**
 * The overview's live part: the range picker, a chart per process type and the latest
 * decisions, refreshed by polling the JSON route while the page is visible. A failed poll keeps
 * what is shown and says so; the next one tries again.
 */
export function OverviewLive({ tenantId, initial }: { tenantId: string; initial: OverviewData }) {
  const [data, setData] = useState(initial);
  const [range, setRange] = useState<ChartRange>(initial.window.range);
  const [problem, setProblem] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState(initial.generatedAtMs);
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    const load = async () => {
      if (document.hidden) return;
      controller = new AbortController();
      try {
        const response = await fetch(`/apps/${tenantId}/chart?range=${range}`, { cache: "no-store", signal: controller.signal });
        if (response.status === 401 || response.status === 404) {
          setProblem("Your session ended or this app is gone: reload the page to sign in again.");
          stopped = true;
          return;
        }
        if (!response.ok) throw new Error(String(response.status));
        const next: OverviewData = await response.json();
        if (stopped) return;
        setData(next);
        setUpdatedAt(next.generatedAtMs);
        setProblem(null);
      } catch (error) {
        if (!stopped && !(error instanceof DOMException && error.name === "AbortError")) {
          setProblem("Live updates could not reach Ebbflow; retrying. The charts show the last data received.");
        }
      }
    };
    const loop = async () => {
      await load();
      if (!stopped) timer = setTimeout(loop, pollMs(dataRef.current));
    };
    if (range !== dataRef.current.window.range) void loop();
    else timer = setTimeout(loop, pollMs(dataRef.current));
    const onVisible = () => {
      if (!document.hidden) void load();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      controller?.abort();
      if (timer) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [tenantId, range]);

  const { window: w } = data;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <span className="text-sm font-medium">Status</span>
          <StatusBadge status={data.status} />
          <span className="text-sm text-slate-600 dark:text-slate-300">{data.status.detail}</span>
        </div>
        <div role="group" aria-label="Time range" className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
          {chartRangeNames.map((name) => (
            <button
              key={name}
              type="button"
              aria-pressed={range === name}
              aria-label={`Show the last ${rangeLabels[name]}`}
              onClick={() => setRange(name)}
              className="px-3 py-1.5 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 aria-pressed:bg-indigo-600 aria-pressed:text-white not-aria-pressed:hover:bg-slate-100 dark:not-aria-pressed:hover:bg-slate-800"
            >
              {name}
            </button>
          ))}
        </div>
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="live-updated">
        Live: updated{" "}
        <time dateTime={new Date(updatedAt).toISOString()} suppressHydrationWarning>
          {new Date(updatedAt).toLocaleTimeString()}
        </time>
        {w.range !== range ? " · loading…" : ""} · one point per {w.bucketSeconds >= 60 ? `${w.bucketSeconds / 60} min` : `${w.bucketSeconds} s`}
      </p>
      {problem ? (
        <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
          {problem}
        </p>
      ) : null}

      {data.charts.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 p-6 text-sm dark:border-slate-700">
          <p className="font-medium">Nothing to chart yet.</p>
          <p className="text-slate-600 dark:text-slate-300">
            Add a <a className="text-indigo-700 underline dark:text-indigo-300" href={`/apps/${tenantId}/sources`}>queue source</a> and{" "}
            <a className="text-indigo-700 underline dark:text-indigo-300" href={`/apps/${tenantId}/rules`}>rules</a> for a process type; its chart appears here after the first check.
          </p>
        </div>
      ) : (
        data.charts.map((chart) => (
          <ProcessChart
            key={chart.processType}
            chart={chart}
            fromMs={w.fromMs}
            toMs={w.toMs}
            bucketSeconds={w.bucketSeconds}
            bucketCount={w.bucketCount}
            rangeSeconds={chartRanges[w.range]}
          />
        ))
      )}

      <section aria-labelledby="decisions-heading" className="flex flex-col gap-3">
        <h2 id="decisions-heading" className="text-lg font-semibold">
          Latest decisions
        </h2>
        <DecisionList decisions={data.decisions} empty="No scale decisions yet: Ebbflow records one each time it changes (or would change) the formation." />
      </section>
    </div>
  );
}
