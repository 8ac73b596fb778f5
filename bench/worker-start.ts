import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { buildWorker } from "@/scripts/build-worker.mjs";
import { localEnv } from "@/scripts/local-env";

/**
 * `npx tsx bench/worker-start.ts [--runs N] [--out FILE.json]`: the worker started with tsx
 * (`node --import tsx worker/index.ts`, TypeScript compiled as it loads) against the worker
 * bundled ahead of time the way `npm run build` does (scripts/build-worker.mjs) and started
 * the Procfile's way (`node --enable-source-maps dist/…`), alternating, N runs each.
 * Measures the time from spawn to "worker started" and the resident memory 5 s later. Uses
 * DATABASE_URL and REDIS_URL (local services).
 */
const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 5);
const out = args.includes("--out") ? (args[args.indexOf("--out") + 1] ?? "") : path.join(root, "bench/results/worker-start.json");
const bundle = path.join(root, "bench/results/worker.bundle.mjs");

interface Sample {
  variant: "tsx" | "compiled";
  startMs: number;
  rssMb: number;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function startOnce(variant: Sample["variant"], env: Record<string, string>): Promise<Sample> {
  const argv = variant === "tsx" ? ["--import", "tsx", "worker/index.ts"] : ["--enable-source-maps", bundle];
  const started = performance.now();
  const child = spawn(process.execPath, argv, { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const startMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${variant} worker did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("worker started")) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
  });
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const rss = rssMb(child.pid ?? 0);
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
  return { variant, startMs, rssMb: rss };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  mkdirSync(path.dirname(bundle), { recursive: true });
  const buildStarted = performance.now();
  await buildWorker(bundle);
  const buildMs = performance.now() - buildStarted;
  const env = localEnv({ baseUrl: "http://127.0.0.1:1", databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL });
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i += 1) {
    for (const variant of i % 2 === 0 ? (["tsx", "compiled"] as const) : (["compiled", "tsx"] as const)) samples.push(await startOnce(variant, env));
  }
  const summary = (["tsx", "compiled"] as const).map((variant) => {
    const mine = samples.filter((s) => s.variant === variant);
    return { variant, runs: mine.length, medianStartMs: Math.round(median(mine.map((s) => s.startMs))), medianRssMb: Math.round(median(mine.map((s) => s.rssMb)) * 10) / 10 };
  });
  const [tsx, compiled] = summary;
  const result = { loadAverage: loadavg(), bundleBuildMs: Math.round(buildMs), summary, startRatio: tsx && compiled ? tsx.medianStartMs / compiled.medianStartMs : null, samples };
  console.table(summary);
  console.log(`load average ${loadavg().map((v) => v.toFixed(2)).join(" ")}; bundle built in ${Math.round(buildMs)} ms; tsx/compiled start ratio ${result.startRatio?.toFixed(2)}`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
