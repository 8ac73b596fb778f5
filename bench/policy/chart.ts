import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { PolicyRun, TraceRun } from "@/bench/policy/run";

const staticNames = new Set(["static-peak", "static-1"]);

/**
 * The baseline drawn beside Ebbflow: the autoscaling baseline (not a fixed formation) with the
 * lowest p95 wait, the cheaper one on a tie — the one Ebbflow has to beat on waits.
 */
export function bestBaseline(run: TraceRun): PolicyRun | null {
  let best: PolicyRun | null = null;
  for (const candidate of run.runs) {
    const r = candidate.result;
    if (r.policy.startsWith("ebbflow") || staticNames.has(r.policy)) continue;
    if (
      best === null ||
      r.waitSeconds.p95 < best.result.waitSeconds.p95 ||
      (r.waitSeconds.p95 === best.result.waitSeconds.p95 && r.dollars < best.result.dollars)
    ) {
      best = candidate;
    }
  }
  return best;
}

interface Point {
  day: number;
  policy: string;
  panel: string;
  value: number;
}

function points(run: PolicyRun): Point[] {
  const { series, policy } = run.result;
  const out: Point[] = [];
  for (let i = 0; i < series.depth.length; i++) {
    const day = Number(((i * series.bucketSeconds) / 86_400).toFixed(4));
    out.push({ day, policy, panel: "queue depth (jobs waiting)", value: series.depth[i] ?? 0 });
    out.push({ day, policy, panel: "dynos (billed)", value: series.dynos[i] ?? 0 });
  }
  return out;
}

/** The vega-lite spec: queue depth and dynos over the trace, Ebbflow against the best baseline. */
export function chartSpec(run: TraceRun): TopLevelSpec {
  const ebbflow = run.runs.find((r) => r.result.policy === "ebbflow");
  const baseline = bestBaseline(run);
  const shown = [ebbflow, baseline].filter((r): r is PolicyRun => r !== undefined && r !== null);
  const bucketMinutes = ((shown[0]?.result.series.bucketSeconds ?? 60) / 60).toFixed(0);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${run.trace.name}: Ebbflow vs ${baseline?.result.policy ?? "no baseline"}`,
      subtitle: `max per ${bucketMinutes}-minute bucket; best baseline = lowest p95 wait among autoscalers`,
    },
    data: { values: shown.flatMap(points) },
    facet: { row: { field: "panel", type: "nominal", title: null, sort: ["queue depth (jobs waiting)", "dynos (billed)"] } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 900,
      height: 180,
      mark: { type: "line", strokeWidth: 1, interpolate: "step-after" },
      encoding: {
        x: { field: "day", type: "quantitative", title: "day of trace" },
        y: { field: "value", type: "quantitative", title: null },
        color: { field: "policy", type: "nominal", scale: { range: ["#1f77b4", "#d62728"] } },
        strokeOpacity: { value: 0.85 },
      },
    },
  };
}

/** Renders a vega-lite chart to SVG in Node (no browser, no canvas) as dir/file; returns the path. */
export async function writeSvg(spec: TopLevelSpec, dir: string, file: string): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, svg);
  return path;
}

/** Writes the trace's chart as policy-<trace>.svg. */
export function writeChart(run: TraceRun, dir: string): Promise<string> {
  return writeSvg(chartSpec(run), dir, `policy-${run.trace.name}.svg`);
}
