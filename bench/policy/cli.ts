import { randomInt } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { writeChart } from "@/bench/policy/chart";
import { ebbflowVariants } from "@/bench/policy/catalog";
import { runFamilies } from "@/bench/policy/families-report";
import { toJson, toKnobs, toTable } from "@/bench/policy/report";
import { runTrace, type TraceRun } from "@/bench/policy/run";
import { checkTarget, describeTarget } from "@/bench/policy/targets";
import { readTrace } from "@/bench/policy/trace";

const usage = [
  "npm run bench:policy -- [--trace FILE.jsonl ...] [--out FILE.json] [--seed N] [--variants] [--knobs] [--no-charts]",
  "npm run bench:policy -- --families [--seed N] [--seeds K] [--workers W] [--out FILE.json] [--no-charts] [--variants] [--update-results]",
  "  (--families: generated traces of seeds N..N+K-1; N is 1 with --seeds alone, random with neither;",
  "   --update-results rewrites the figure block of bench/policy/RESULTS.md)",
].join("\n");

/** The baselines the target compares against: everything that is not an Ebbflow row. */
function targetLine(run: TraceRun): string {
  const ebbflow = run.runs.find((r) => r.result.policy === "ebbflow")?.result;
  if (!ebbflow) return "";
  const baselines = run.runs.filter((r) => !r.result.policy.startsWith("ebbflow")).map((r) => r.result);
  return describeTarget(checkTarget(ebbflow, baselines));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      trace: { type: "string", multiple: true },
      out: { type: "string" },
      seed: { type: "string" },
      families: { type: "boolean", default: false },
      seeds: { type: "string" },
      workers: { type: "string", default: "2" },
      "update-results": { type: "boolean", default: false },
      variants: { type: "boolean", default: false },
      knobs: { type: "boolean", default: false },
      "no-charts": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (values.families) {
    const count = Number(values.seeds ?? "1");
    if (!Number.isInteger(count) || count < 1) throw new Error(`--seeds takes a positive integer\n${usage}`);
    const base = values.seed !== undefined ? Number(values.seed) : values.seeds !== undefined ? 1 : randomInt(1, 1_000_000);
    if (!Number.isInteger(base)) throw new Error(`--seed takes an integer\n${usage}`);
    const workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers takes a positive integer\n${usage}`);
    await runFamilies({
      seeds: Array.from({ length: count }, (_, i) => base + i),
      workers,
      out: values.out ?? join("bench", "results", "policy-families.json"),
      charts: !values["no-charts"],
      chartDir: join("bench", "results"),
      variants: values.variants,
      resultsFile: values["update-results"] ? join("bench", "policy", "RESULTS.md") : undefined,
    });
    return;
  }
  const seed = Number(values.seed ?? "1");
  if (!Number.isInteger(seed)) throw new Error(`--seed takes an integer\n${usage}`);
  const dir = join("bench", "traces");
  const paths =
    values.trace ?? readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort().map((f) => join(dir, f));
  const runs: TraceRun[] = [];
  for (const path of paths) {
    const started = performance.now();
    const trace = readTrace(path);
    const run = runTrace(trace, seed, values.variants ? ebbflowVariants : undefined);
    runs.push(run);
    console.log(toTable(run));
    console.log(targetLine(run));
    if (values.knobs) console.log(toKnobs(run));
    const chart = values["no-charts"] ? "" : `; chart ${await writeChart(run, join("bench", "results"))}`;
    console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s${chart})\n`);
  }
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(toJson(runs), null, 2)}\n`);
    console.log(`wrote ${values.out}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
