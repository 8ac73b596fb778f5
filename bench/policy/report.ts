import type { TraceRun } from "@/bench/policy/run";

/** The benchmark JSON (`--out`): the contract in DESIGN.md, plus apiCalls, knobs and a few more. */
export interface PolicyJson {
  traces: Array<{
    name: string;
    jobs: number;
    dyno: { size: string; concurrency: number; bootSeconds: number };
    policies: Array<{
      name: string;
      dynoHours: number;
      dollars: number;
      waitSeconds: { p50: number; p95: number; p99: number; max: number };
      jobsKilled: number;
      formationUpdates: number;
      apiCalls: number;
      unfinishedJobs: number;
      knobs: Record<string, string | number | boolean>;
    }>;
  }>;
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

export function toJson(runs: readonly TraceRun[]): PolicyJson {
  return {
    traces: runs.map(({ trace, runs: policies }) => ({
      name: trace.name,
      jobs: trace.arrival.length,
      dyno: { size: trace.dynoSize, concurrency: trace.concurrency, bootSeconds: trace.bootSeconds },
      policies: policies.map(({ result, knobs }) => ({
        name: result.policy,
        dynoHours: round(result.dynoSeconds / 3600, 2),
        dollars: round(result.dollars, 2),
        waitSeconds: {
          p50: round(result.waitSeconds.p50, 1),
          p95: round(result.waitSeconds.p95, 1),
          p99: round(result.waitSeconds.p99, 1),
          max: round(result.waitSeconds.max, 1),
        },
        jobsKilled: result.jobsKilled,
        formationUpdates: result.formationUpdates,
        apiCalls: result.apiCalls,
        unfinishedJobs: result.unfinishedJobs,
        knobs: { ...knobs },
      })),
    })),
  };
}

function pad(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A plain-text table per trace, as printed by `npm run bench:policy`. */
export function toTable(run: TraceRun): string {
  const header = ["policy", "dyno-h", "dollars", "p50 s", "p95 s", "p99 s", "max s", "killed", "updates", "api"];
  const rows = run.runs.map(({ result: r }) => [
    r.policy,
    (r.dynoSeconds / 3600).toFixed(1),
    r.dollars.toFixed(2),
    r.waitSeconds.p50.toFixed(1),
    r.waitSeconds.p95.toFixed(1),
    r.waitSeconds.p99.toFixed(1),
    r.waitSeconds.max.toFixed(0),
    String(r.jobsKilled),
    String(r.formationUpdates),
    String(r.apiCalls),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i] ?? 0, i > 0)).join("  ");
  const { trace, profile } = run;
  const title = `${trace.name}: ${trace.arrival.length} jobs, ${trace.dynoSize} × concurrency ${trace.concurrency}, boot ${trace.bootSeconds} s, peak need ${profile.peakNeed}, median job ${profile.medianDurationSeconds.toFixed(0)} s`;
  return [title, line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Each policy's knobs, one line each. */
export function toKnobs(run: TraceRun): string {
  return run.runs
    .map(({ result, knobs }) => `  ${result.policy}: ${Object.entries(knobs).map(([k, v]) => `${k}=${v}`).join(", ")}`)
    .join("\n");
}
