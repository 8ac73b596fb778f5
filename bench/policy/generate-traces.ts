import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildWorkloads, defaultTraceSeed, toJsonLines } from "@/bench/policy/workloads";

/** Writes the shipped traces (`npm run bench:traces`); same seed, same bytes. */
function main(): void {
  const { values } = parseArgs({
    options: { seed: { type: "string" }, dir: { type: "string" } },
  });
  const seed = values.seed ? Number(values.seed) : defaultTraceSeed;
  if (!Number.isInteger(seed)) throw new Error("--seed takes an integer");
  const dir = values.dir ?? join("bench", "traces");
  mkdirSync(dir, { recursive: true });
  for (const workload of buildWorkloads(seed)) {
    const text = toJsonLines(workload);
    const path = join(dir, `${workload.name}.jsonl`);
    writeFileSync(path, text);
    console.log(`${path}: ${workload.jobs.length} jobs, ${(text.length / 1e6).toFixed(2)} MB`);
  }
}

main();
