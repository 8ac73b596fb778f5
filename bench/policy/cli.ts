import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { writeChart } from "@/bench/policy/chart";
import { ebbflowVariants } from "@/bench/policy/catalog";
import { toJson, toKnobs, toTable } from "@/bench/policy/report";
import { runTrace, type TraceRun } from "@/bench/policy/run";
import { checkTarget, describeTarget } from "@/bench/policy/targets";
import { readTrace } from "@/bench/policy/trace";

const usage =
  "npm run bench:policy -- [--trace FILE.jsonl ...] [--out FILE.json] [--seed N] [--variants] [--knobs] [--no-charts]";

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
      seed: { type: "string", default: "1" },
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
  const seed = Number(values.seed);
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
