import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname } from "node:path";
import { Worker } from "node:worker_threads";
import type { TopLevelSpec } from "vega-lite";
import { writeSvg } from "@/bench/policy/chart";
import { familySpecs, type FamilySpec } from "@/bench/policy/families";
import type { FamilyOutcome } from "@/bench/policy/families-run";
import { baselineNames, meets, ratioTarget, type Comparison, type CostWaitPoint } from "@/bench/policy/frontier";

/**
 * `npm run bench:policy -- --families`: every generated trace of the seeds, run on worker
 * threads, then one table, a summary against the target, JSON and frontier charts.
 */

export interface FamiliesOptions {
  seeds: number[];
  workers: number;
  out: string;
  charts: boolean;
  chartDir: string;
  /** Also run Ebbflow with one default changed at a time (`--variants`). */
  variants?: boolean;
  /** A markdown file whose figure block (between the markers below) the run rewrites. */
  resultsFile?: string;
}

export const figuresBegin = "<!-- families-figures:begin (written by npm run bench:policy -- --families --seeds 5 --variants --update-results) -->";
export const figuresEnd = "<!-- families-figures:end -->";

/** Replaces the text between the figure markers; throws if the file has none. */
export function replaceFigureBlock(markdown: string, block: string): string {
  const from = markdown.indexOf(figuresBegin);
  const to = markdown.indexOf(figuresEnd);
  if (from < 0 || to < from) throw new Error("no families figure markers in the results file");
  return `${markdown.slice(0, from + figuresBegin.length)}\n${block}\n${markdown.slice(to)}`;
}

/** The ratio a trace is ranked by: Ebbflow dominating ranks below every compared trace. */
export function rankRatio(comparison: Comparison): number {
  return comparison.kind === "compared" ? comparison.ratio : -Infinity;
}

export interface FamiliesSummary {
  traces: number;
  seeds: number[];
  /** Share of traces with ratio ≤ 0.8 (Ebbflow dominating counts): target ≥ 0.95. */
  shareAtMost08: number;
  /** Share with ratio ≤ 1.0: target 1. */
  shareAtMost10: number;
  /** Traces where no baseline point waits as little as Ebbflow. */
  dominated: number;
  /** Traces over 1.0 whose cheaper point kills jobs (the rule compares cost and p95 only). */
  lossesToKillingPoints: number;
  /** The same shares against the baseline points that killed no job: reported, not the target. */
  noKill: { shareAtMost08: number; shareAtMost10: number; maxRatio: number | null };
  medianRatio: number | null;
  maxRatio: number | null;
  /** Jobs Ebbflow killed over every trace: target 0. */
  ebbflowKills: number;
  ebbflowUnfinished: number;
  worst: Array<{ name: string; family: string; ratio: number; size: string }>;
  byFamily: Array<{ family: string; traces: number; shareAtMost08: number; shareAtMost10: number; maxRatio: number | null }>;
  bySize: Array<{ size: string; traces: number; shareAtMost08: number; shareAtMost10: number; maxRatio: number | null }>;
}

type ComparisonOf = (o: FamilyOutcome) => Comparison;
const asCompared: ComparisonOf = (o) => o.comparison;

function share(outcomes: readonly FamilyOutcome[], bound: number, pick: ComparisonOf = asCompared): number {
  return outcomes.length === 0 ? 0 : outcomes.filter((o) => meets(pick(o), bound)).length / outcomes.length;
}

function maxRatio(outcomes: readonly FamilyOutcome[], pick: ComparisonOf = asCompared): number | null {
  const ratios = outcomes.map((o) => rankRatio(pick(o))).filter((r) => r !== -Infinity);
  return ratios.length === 0 ? null : Math.max(...ratios);
}

/** The traces ranked worst first (highest ratio). */
export function worstFirst(outcomes: readonly FamilyOutcome[]): FamilyOutcome[] {
  return [...outcomes].sort((a, b) => rankRatio(b.comparison) - rankRatio(a.comparison) || a.spec.name.localeCompare(b.spec.name));
}

export function summarize(outcomes: readonly FamilyOutcome[], seeds: number[]): FamiliesSummary {
  const ratios = outcomes
    .map((o) => rankRatio(o.comparison))
    .filter((r) => r !== -Infinity)
    .sort((a, b) => a - b);
  const group = <K extends string>(key: (o: FamilyOutcome) => K, order: readonly K[]) =>
    order
      .map((k) => ({ k, list: outcomes.filter((o) => key(o) === k) }))
      .filter(({ list }) => list.length > 0)
      .map(({ k, list }) => ({ k, traces: list.length, shareAtMost08: share(list, ratioTarget), shareAtMost10: share(list, 1), maxRatio: maxRatio(list) }));
  const families = [...new Set(outcomes.map((o) => o.spec.family))];
  const sizes = [...new Set(outcomes.map((o) => o.spec.size))];
  return {
    traces: outcomes.length,
    seeds,
    shareAtMost08: share(outcomes, ratioTarget),
    shareAtMost10: share(outcomes, 1),
    dominated: outcomes.filter((o) => o.comparison.kind === "dominates").length,
    lossesToKillingPoints: outcomes.filter((o) => o.comparison.kind === "compared" && o.comparison.ratio > 1 && o.comparison.point.killed > 0).length,
    noKill: {
      shareAtMost08: share(outcomes, ratioTarget, (o) => o.comparisonNoKill),
      shareAtMost10: share(outcomes, 1, (o) => o.comparisonNoKill),
      maxRatio: maxRatio(outcomes, (o) => o.comparisonNoKill),
    },
    medianRatio: ratios.length === 0 ? null : (ratios[Math.floor((ratios.length - 1) / 2)] as number),
    maxRatio: maxRatio(outcomes),
    ebbflowKills: outcomes.reduce((sum, o) => sum + o.ebbflow.killed, 0),
    ebbflowUnfinished: outcomes.reduce((sum, o) => sum + o.ebbflow.unfinished, 0),
    worst: worstFirst(outcomes)
      .slice(0, 10)
      .filter((o) => o.comparison.kind === "compared")
      .map((o) => ({ name: o.spec.name, family: o.spec.family, size: o.spec.size, ratio: rankRatio(o.comparison) })),
    byFamily: group((o) => o.spec.family, families).map(({ k, ...rest }) => ({ family: k, ...rest })),
    bySize: group((o) => o.spec.size, sizes).map(({ k, ...rest }) => ({ size: k, ...rest })),
  };
}

const money = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
const seconds = (n: number): string => (n >= 1000 ? n.toFixed(0) : n.toFixed(1));

function pad(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A plain-text table; `left` holds the columns aligned left (the rest are numbers). */
function table(header: string[], rows: string[][], left: readonly number[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i] ?? 0, !left.includes(i))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The per-trace table: what Ebbflow's default did and the cheapest baseline point that waited no longer. */
export function outcomeTable(outcomes: readonly FamilyOutcome[]): string {
  const header = ["seed", "family", "trace", "size", "boot", "conc", "jobs", "ebb $", "ebb p95", "killed", "cheapest baseline with p95 ≤ ebbflow's", "$", "p95", "ratio"];
  const rows = outcomes.map((o) => {
    const c = o.comparison;
    const versus =
      c.kind === "compared"
        ? [c.point.label, money(c.point.dollars), seconds(c.point.p95), c.ratio.toFixed(2)]
        : [`none (nearest: ${c.nearest?.label ?? "-"})`, c.nearest ? money(c.nearest.dollars) : "-", c.nearest ? seconds(c.nearest.p95) : "-", "dominates"];
    return [
      String(o.spec.seed),
      o.spec.family,
      o.spec.name,
      o.spec.size,
      String(o.spec.bootSeconds),
      String(o.spec.concurrency),
      String(o.jobs),
      money(o.ebbflow.dollars),
      seconds(o.ebbflow.p95),
      String(o.ebbflow.killed),
      ...versus,
    ];
  });
  return table(header, rows, [1, 2, 3, 10]);
}

const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;
const ratioText = (r: number | null): string => (r === null ? "-" : r.toFixed(2));

/** The summary block: the figures RESULTS.md quotes. */
export function summaryText(summary: FamiliesSummary, outcomes: readonly FamilyOutcome[]): string {
  const lines = [
    `traces: ${summary.traces} (seeds ${summary.seeds.join(", ")})`,
    `ratio ≤ ${ratioTarget}: ${percent(summary.shareAtMost08)} (target ≥ 95 %); ratio ≤ 1.0: ${percent(summary.shareAtMost10)} (target 100 %)`,
    `Ebbflow dominates (no baseline point waits as little): ${summary.dominated}; median ratio ${ratioText(summary.medianRatio)}; max ratio ${ratioText(summary.maxRatio)}`,
    `Ebbflow's killed jobs, all traces: ${summary.ebbflowKills} (target 0); unfinished: ${summary.ebbflowUnfinished}`,
    `traces over 1.0 where the cheaper point kills jobs: ${summary.lossesToKillingPoints} of ${outcomes.filter((o) => !meets(o.comparison, 1)).length}`,
    `against only the baseline points that kill no job (not the target): ratio ≤ ${ratioTarget}: ${percent(summary.noKill.shareAtMost08)}; ≤ 1.0: ${percent(summary.noKill.shareAtMost10)}; max ratio ${ratioText(summary.noKill.maxRatio)}`,
    "",
    table(
      ["family", "traces", "≤ 0.8", "≤ 1.0", "max ratio"],
      summary.byFamily.map((f) => [f.family, String(f.traces), percent(f.shareAtMost08), percent(f.shareAtMost10), ratioText(f.maxRatio)]),
      [0],
    ),
    "",
    table(
      ["size", "traces", "≤ 0.8", "≤ 1.0", "max ratio"],
      summary.bySize.map((f) => [f.size, String(f.traces), percent(f.shareAtMost08), percent(f.shareAtMost10), ratioText(f.maxRatio)]),
      [0],
    ),
    "",
    "worst traces:",
  ];
  const byName = new Map(outcomes.map((o) => [o.spec.name, o]));
  for (const w of summary.worst) {
    const o = byName.get(w.name);
    if (!o || o.comparison.kind !== "compared") continue;
    const p = o.comparison.point;
    const variants = o.variants
      .map((v) => `${v.name.replace(/^ebbflow-/, "")} ${v.comparison.kind === "compared" ? v.comparison.ratio.toFixed(2) : "dominates"}`)
      .join(", ");
    lines.push(
      `  ${w.ratio.toFixed(2)}  ${w.name} (${o.spec.size}, boot ${o.spec.bootSeconds} s, ${o.spec.concurrency}/dyno, peak need ${o.profile.peakNeed}, ${o.jobs} jobs): ebbflow $${money(o.ebbflow.dollars)} p95 ${seconds(o.ebbflow.p95)} s (p99 ${seconds(o.ebbflow.p99)}) vs ${p.label} $${money(p.dollars)} p95 ${seconds(p.p95)} s (p99 ${seconds(p.p99)})${variants ? ` [variants: ${variants}]` : ""} — ${o.description}`,
    );
  }
  return lines.join("\n");
}

/** `--variants`: each Ebbflow variant's shares against the same baseline points, beside the default's. */
export function variantText(outcomes: readonly FamilyOutcome[]): string {
  const names = [...new Set(outcomes.flatMap((o) => o.variants.map((v) => v.name)))];
  if (names.length === 0) return "";
  const rows = [
    ["ebbflow (default)", outcomes.map((o) => ({ comparison: o.comparison, killed: o.ebbflow.killed }))] as const,
    ...names.map((name) => [name, outcomes.flatMap((o) => o.variants.filter((v) => v.name === name))] as const),
  ].map(([name, list]) => {
    const ratios = list.map((v) => rankRatio(v.comparison)).filter((r) => r !== -Infinity);
    const at = (bound: number) => percent(list.filter((v) => meets(v.comparison, bound)).length / Math.max(1, list.length));
    return [name, at(ratioTarget), at(1), ratios.length === 0 ? "-" : Math.max(...ratios).toFixed(2), String(list.reduce((sum, v) => sum + v.killed, 0))];
  });
  return ["Ebbflow variants, each against the same baseline points:", table(["policy", "≤ 0.8", "≤ 1.0", "max ratio", "killed"], rows, [0])].join("\n");
}

/** Runs the specs on `workers` threads, each taking the next recipe when it is done. */
export async function runOnWorkers(specs: readonly FamilySpec[], workers: number, progress: (done: number) => void, variants = false): Promise<FamilyOutcome[]> {
  const entry = new URL("./families-worker.ts", import.meta.url).href;
  // Worker threads do not inherit tsx's loader: each registers it, then loads the worker module.
  const code = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  const results: FamilyOutcome[] = new Array<FamilyOutcome>(specs.length);
  let next = 0;
  let done = 0;
  const threads = Array.from({ length: Math.max(1, Math.min(workers, specs.length)) }, () => new Worker(code, { eval: true }));
  try {
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const feed = (): void => {
              if (next >= specs.length) {
                resolve();
                return;
              }
              current = next++;
              thread.postMessage({ spec: specs[current], variants });
            };
            thread.on("message", (message: { ok: true; outcome: FamilyOutcome } | { ok: false; error: string }) => {
              if (!message.ok) {
                reject(new Error(`${specs[current]?.name ?? "?"}: ${message.error}`));
                return;
              }
              results[current] = message.outcome;
              progress(++done);
              feed();
            });
            thread.on("error", reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
  return results;
}

const round = (n: number, digits: number): number => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);
const roundPoint = (p: CostWaitPoint): CostWaitPoint => ({ ...p, dollars: round(p.dollars, 4), p95: round(p.p95, 1), p99: round(p.p99, 1) });

const comparisonJson = (c: Comparison) =>
  c.kind === "compared"
    ? { kind: "compared", ratio: round(c.ratio, 3), point: roundPoint(c.point) }
    : { kind: "dominates", ratioToNearest: c.ratioToNearest === null ? null : round(c.ratioToNearest, 3), nearest: c.nearest && roundPoint(c.nearest) };

/** The JSON `--out` writes: the summary and, per trace, Ebbflow's point, every baseline point and each frontier. */
export function familiesJson(outcomes: readonly FamilyOutcome[], summary: FamiliesSummary, run: { elapsedSeconds: number; loadAverage: number[]; workers: number }) {
  return {
    command: `npm run bench:policy -- --families --seed ${summary.seeds[0]} --seeds ${summary.seeds.length}`,
    ...run,
    summary,
    traces: outcomes.map((o) => ({
      ...o.spec,
      jobs: o.jobs,
      horizonDays: o.horizonDays,
      description: o.description,
      profile: o.profile,
      ebbflow: { ...o.ebbflow, dollars: round(o.ebbflow.dollars, 4), p50: round(o.ebbflow.p50, 1), p95: round(o.ebbflow.p95, 1), p99: round(o.ebbflow.p99, 1) },
      comparison: comparisonJson(o.comparison),
      comparisonNoKill: comparisonJson(o.comparisonNoKill),
      frontiers: Object.fromEntries(baselineNames.map((b) => [b, o.frontiers[b].map(roundPoint)])),
      points: o.points.map(roundPoint),
      seconds: round(o.seconds, 2),
    })),
  };
}

/** The vega-lite spec of one trace's frontiers: every baseline point, each frontier, Ebbflow's point. */
export function frontierChartSpec(o: FamilyOutcome): TopLevelSpec {
  const shown = (p: { dollars: number }) => p.dollars > 0;
  const all = o.points.filter(shown).map((p) => ({ ...p, kind: "point" }));
  const frontier = baselineNames.flatMap((b) => o.frontiers[b].filter(shown).map((p, i) => ({ ...p, order: i })));
  const versus = o.comparison.kind === "compared" ? o.comparison.point : o.comparison.nearest;
  const ratio = o.comparison.kind === "compared" ? `ratio ${o.comparison.ratio.toFixed(2)}` : "Ebbflow dominates";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${o.spec.name}: cost against p95 wait`,
      subtitle: `${o.spec.size}, boot ${o.spec.bootSeconds} s, ${o.spec.concurrency} per dyno, ${o.jobs} jobs; ${ratio}${versus ? ` against ${versus.label}` : ""}`,
    },
    width: 700,
    height: 420,
    layer: [
      {
        data: { values: all },
        mark: { type: "point", opacity: 0.35, size: 30 },
        encoding: {
          x: { field: "dollars", type: "quantitative", scale: { type: "log" }, title: "cost over the trace ($, log)" },
          y: { field: "p95", type: "quantitative", scale: { type: "symlog" }, title: "p95 wait (s, symlog)" },
          color: { field: "baseline", type: "nominal" },
          tooltip: [{ field: "label" }, { field: "dollars" }, { field: "p95" }],
        },
      },
      {
        data: { values: frontier },
        mark: { type: "line", point: true, strokeWidth: 1.5, interpolate: "step-after" },
        encoding: {
          x: { field: "dollars", type: "quantitative" },
          y: { field: "p95", type: "quantitative" },
          color: { field: "baseline", type: "nominal" },
          order: { field: "order", type: "quantitative" },
        },
      },
      {
        data: { values: versus && shown(versus) ? [{ ...versus, name: "compared point" }] : [] },
        mark: { type: "point", shape: "diamond", size: 160, filled: false, color: "black" },
        encoding: { x: { field: "dollars", type: "quantitative" }, y: { field: "p95", type: "quantitative" } },
      },
      {
        data: { values: shown(o.ebbflow) ? [{ dollars: o.ebbflow.dollars, p95: o.ebbflow.p95, name: "ebbflow" }] : [] },
        mark: { type: "point", shape: "cross", size: 260, filled: true, color: "black" },
        encoding: { x: { field: "dollars", type: "quantitative" }, y: { field: "p95", type: "quantitative" } },
      },
    ],
  };
}

export function writeFrontierChart(o: FamilyOutcome, dir: string): Promise<string> {
  return writeSvg(frontierChartSpec(o), dir, `families-${o.spec.name}.svg`);
}

/** The whole run: specs of every seed, workers, table, summary, JSON, charts, time and load. */
export async function runFamilies(options: FamiliesOptions): Promise<FamiliesSummary> {
  const started = performance.now();
  const specs = options.seeds.flatMap((seed) => familySpecs(seed));
  console.log(`families: seeds ${options.seeds.join(", ")} (--seed ${options.seeds[0]} --seeds ${options.seeds.length}), ${specs.length} traces, ${options.workers} worker threads`);
  const step = Math.max(1, Math.ceil(specs.length / 10));
  const outcomes = await runOnWorkers(specs, options.workers, (done) => {
    if (done % step === 0 || done === specs.length) console.error(`  ${done}/${specs.length} traces (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }, options.variants ?? false);
  console.log(outcomeTable(outcomes));
  console.log("");
  const summary = summarize(outcomes, options.seeds);
  const text = [summaryText(summary, outcomes), variantText(outcomes)].filter(Boolean).join("\n\n");
  console.log(text);
  if (options.charts) {
    for (const o of worstFirst(outcomes).slice(0, 10)) console.log(`chart ${await writeFrontierChart(o, options.chartDir)}`);
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  const loadAverage = loadavg().map((x) => Number(x.toFixed(2)));
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(familiesJson(outcomes, summary, { elapsedSeconds: round(elapsedSeconds, 1), loadAverage, workers: options.workers }), null, 1)}\n`);
  console.log(`wrote ${options.out}`);
  const timing = `elapsed ${elapsedSeconds.toFixed(1)} s; load average ${loadAverage.join(" / ")} (1 / 5 / 15 min)`;
  console.log(timing);
  if (options.resultsFile) {
    const command = `npm run bench:policy -- --families --seed ${options.seeds[0]} --seeds ${options.seeds.length}${options.variants ? " --variants" : ""} --update-results`;
    const block = [
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`${command}\` (${options.workers} worker threads): ${timing}.`,
      "",
      "```",
      text,
      "```",
    ].join("\n");
    writeFileSync(options.resultsFile, replaceFigureBlock(readFileSync(options.resultsFile, "utf8"), block));
    console.log(`updated the figure block in ${options.resultsFile}`);
  }
  return summary;
}
