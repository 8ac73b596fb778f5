import "@/bench/lib/quiet-logs";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { z } from "zod";
import { startJobBursts, type BurstGenerator } from "@/bench/lib/job-bursts";
import { cpuSecondsOf, loadAverage, memoryOf } from "@/bench/lib/proc-stats";
import { commandDelta, readCommandCounts, readTableWrites, tableDelta } from "@/bench/lib/write-stats";
import { PushToPatch } from "@/bench/lib/push-to-patch";
import { BENCH_BOOT_SECONDS, buildWorld, createScratchDatabase, deleteKeys, type ScratchDatabase } from "@/bench/lib/scheduler-world";
import { quantile, round } from "@/bench/lib/stats";
import { planNames, plans, type PlanName } from "@/lib/billing/plans";
import { checkFailureKinds } from "@/lib/checks/failure-kind";
import { reconcileSchedules } from "@/lib/checks/reconcile-schedules";
import { checksQueue } from "@/lib/checks/trigger-check";
import { db, disconnectDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { closeProbeConnections } from "@/lib/queues/probe";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";
import { localEnv } from "@/scripts/local-env";
import { startSim, type Sim } from "@/sim/start-sim";

/**
 * Scheduler benchmark: N simulated tenants checked by --workers worker processes (default
 * one), with real Redis queues and the simulated Heroku.
 *
 *   npm run bench:scheduler -- --tenants 10000 --interval 10 --duration 120 [--out FILE.json]
 *   npm run bench:scheduler -- --workers 2 --tenants 20000 --interval 10 --duration 120
 *
 * Several workers: each is started as the Procfile starts one (dyno bench-worker.1 … N) and
 * they share the one schedule, as worker dynos do. Reported per worker (checks, checks/s,
 * lag, CPU, peak RSS) and in total, with how evenly the checks spread (each worker's count
 * over the mean) and the scale-out efficiency: checks per second per worker against the
 * one-worker run at tenants / N (--baseline, by default the JSON that run wrote), reported
 * with both runs' p99 lag, since the ratio means something only when both held their lag.
 * The same ratio per worker CPU second is reported too: it shows the cost of sharing.
 *
 * Failures: the world fails nowhere on purpose. Every check should end ok (or skipped, when
 * the tenant's previous check still holds its lock); checksByOutcome and errorsByKind come
 * from the workers' own counters (ebbflow_checks_total, ebbflow_errors_total), and
 * failedChecksWithoutKind must be 0.
 *
 * Capacity inputs (docs/SCALING.md): Redis commands per check and per second from INFO
 * commandstats over the window (exact with --redis-port pointing at a Redis server of the
 * run's own; on a shared server it includes everyone's traffic and says so; with
 * --queue-redis-port the tenants' job stores live on another server, so the count is
 * Ebbflow's own commands only, plus the benchmark's one lag RPUSH per batch), and Postgres
 * rows and bytes written per second per table from the scratch database's pg_stat_user_tables
 * and pg_total_relation_size.
 *
 * The world (bench/lib/scheduler-world.ts): a scratch Postgres database, migrated, dropped at
 * the end; N tenants on the plan whose check interval is --interval (2 = pro, 10 = standard,
 * 60 = hobby; other intervals are refused rather than faked, because the worker's schedule
 * maintenance would put the tenants back on their plan's interval). Every tenant probes a
 * Sidekiq layout under its own namespace in ONE local Redis URL (the probe pool keeps a
 * connection per URL, as it would per customer Redis server; one URL keeps this to one).
 *
 * Who calls Heroku: --scaling-fraction of the tenants (default 2 %) have an app in the
 * simulator and a scaling token, spread --apps-per-account to a simulator account (each has
 * Heroku's 4500 calls an hour). Job bursts land on their queues (mean gap --burst-gap s per
 * app), so they scale up and back down during the run. By default the others sit at zero
 * dynos with an empty queue and no token: their checks probe, decide "hold" and record, and
 * never call Heroku. That is most apps most of the time (queue-driven workers are idle far
 * more than busy, which is what autoscaling sells), but an idle app that has authorized
 * scaling still re-reads its formation every 3 minutes (run-check.ts FORMATION_REFRESH_MS):
 * --idle-tokens gives every idle tenant a token and an app (no job store) in the simulator,
 * --idle-apps-per-account to an account, and seeds each one's last formation read at a random
 * time in the last 3 minutes, as in a long-running system, so the window sees the steady
 * N / 180 formation reads a second.
 *
 * Push fast path: --push-tenants pro-plan tenants (2 s checks, pushFastPath) with push
 * sources and apps in the simulator, in addition to the N. Their agents report the current
 * depth every 5 s; --push-reports timed reports, spread over the measured window round-robin,
 * are each one job deeper than that tenant's last, so each calls for one more dyno. Timed
 * from just before the report is handled (as the report route does: rate limit, store, react)
 * to the simulator answering the formation PATCH.
 *
 * Measured over --duration seconds after a --warmup (default two intervals, at least 20 s)
 * that absorbs the worker's start: the first checks of a fresh process load every context
 * and every tenant whose slot passed while it booted is late. Lag per check is exact: the
 * worker appends `<tenant> <dueAtMs> <lagMs>` per check to a Redis list when started with
 * EBBFLOW_BENCH_LAG_KEY (lib/checks/lag-samples.ts), one RPUSH per batch. CPU seconds are
 * the worker's utime+stime over the window (/proc/<pid>/stat); peak RSS its VmHWM. The
 * worker runs as the Procfile runs it (the bundle, built first: `node <flags>
 * dist/worker.mjs`); --node-args adds node flags before the Procfile's for experiments
 * (e.g. "--node-args=--heapsnapshot-signal=SIGUSR2", or
 * "--node-args=--import=./bench/lib/worker-memory-probe.mjs" to log the worker's heap by space
 * every 5 s), --worker-command replaces the Procfile's line (e.g. "node --import tsx
 * worker/index.ts", to compare) and --cpu-prof DIR writes a CPU profile of the worker.
 *
 * The worker's environment is this process's minus SSL_CERT_DIR and SSL_CERT_FILE (unless
 * --keep-ssl-cert-env): heroku-client reads every file those name on every request, which
 * with this machine's setting (/etc/ssl/certs, about 300 files) costs about 10 ms of CPU per
 * Platform API call. The simulator speaks plain HTTP, so the worker needs no CA files here,
 * and keeping them would measure this machine's setting rather than the worker; wherever
 * they are set in production the same cost applies, which --keep-ssl-cert-env shows.
 *
 * Redis: everything lives in logical database --redis-db (default: REDIS_URL's database
 * index, else 9) of the server on 127.0.0.1:--redis-port (default 6379). Postgres: a scratch database created
 * next to DATABASE_URL's server (127.0.0.1:5432) and dropped at the end. A run holds a key there
 * while it runs and refuses to start if another run holds it; it deletes Ebbflow's keys
 * there (ebbflow:*) before and after, so its schedule never mixes with a test run's workers
 * on database 0 or with another run.
 */

const root = path.resolve(import.meta.dirname, "..");
/** Longer than the workers' metrics publishing period (lib/metrics-publish.ts). */
const METRICS_PUBLISH_WAIT_MS = 6_000;
/** How often a push tenant's agent reports when nothing changes (agents report every few seconds). */
const AGENT_REPORT_EVERY_MS = 5_000;
/** Held (and refreshed) by the run that uses a Redis database, outside Ebbflow's own keys. */
const OWNER_KEY = "ebbflow-bench:scheduler:owner";
const OWNER_TTL_MS = 30_000;

/** The database index of REDIS_URL when it names one (redis://host:port/N), else 9. */
function defaultRedisDb(): string {
  const match = /^rediss?:\/\/[^/]*\/(\d+)$/.exec(process.env.REDIS_URL ?? "");
  return match?.[1] ?? "9";
}

const { values } = parseArgs({
  options: {
    tenants: { type: "string", default: "10000" },
    interval: { type: "string", default: "10" },
    duration: { type: "string", default: "120" },
    warmup: { type: "string" },
    out: { type: "string" },
    workers: { type: "string", default: "1" },
    baseline: { type: "string" },
    "redis-port": { type: "string", default: "6379" },
    "queue-redis-port": { type: "string" },
    "scaling-fraction": { type: "string", default: "0.02" },
    "apps-per-account": { type: "string", default: "10" },
    "burst-gap": { type: "string", default: "120" },
    "push-tenants": { type: "string", default: "20" },
    "push-reports": { type: "string", default: "100" },
    "redis-db": { type: "string", default: defaultRedisDb() },
    seed: { type: "string", default: "1" },
    "cpu-prof": { type: "string" },
    "node-args": { type: "string" },
    "idle-tokens": { type: "boolean", default: false },
    "idle-apps-per-account": { type: "string", default: "100" },
    "keep-ssl-cert-env": { type: "boolean", default: false },
    "worker-command": { type: "string" },
  },
});

const optionsSchema = z.object({
  tenants: z.coerce.number().int().min(1),
  interval: z.coerce.number().int().positive(),
  duration: z.coerce.number().positive(),
  warmup: z.coerce.number().min(0).optional(),
  out: z.string().min(1).optional(),
  /** Worker processes, each started as the Procfile starts one. */
  workers: z.coerce.number().int().min(1).max(16),
  /** The one-worker run to compare with (default: bench/results/scheduler-1w-<tenants / workers>-<interval>s.json). */
  baseline: z.string().min(1).optional(),
  /** A Redis server of the run's own (e.g. redis-server --port 5271), so INFO commandstats counts only Ebbflow's commands. */
  redisPort: z.coerce.number().int().min(1).max(65535),
  /** The tenants' job stores on another Redis server (same database index), e.g. 6379 while --redis-port is the run's own. */
  queueRedisPort: z.coerce.number().int().min(1).max(65535).optional(),
  scalingFraction: z.coerce.number().min(0).max(1),
  appsPerAccount: z.coerce.number().int().min(1),
  burstGapSeconds: z.coerce.number().positive(),
  pushTenants: z.coerce.number().int().min(0),
  pushReports: z.coerce.number().int().min(0),
  redisDb: z.coerce.number().int().min(0).max(15),
  seed: z.coerce.number().int(),
  cpuProfDir: z.string().min(1).optional(),
  /** Extra flags for the worker's node (e.g. "--trace-gc"), split on spaces; for profiling. */
  nodeArgs: z.string().optional(),
  idleTokens: z.boolean(),
  idleAppsPerAccount: z.coerce.number().int().min(1),
  keepSslCertEnv: z.boolean(),
  /** Instead of the Procfile's worker line, for comparisons (e.g. "node --import tsx worker/index.ts"). */
  workerCommand: z.string().min(1).optional(),
});

const options = optionsSchema.parse({
  ...values,
  scalingFraction: values["scaling-fraction"],
  appsPerAccount: values["apps-per-account"],
  burstGapSeconds: values["burst-gap"],
  pushTenants: values["push-tenants"],
  pushReports: values["push-reports"],
  redisDb: values["redis-db"],
  redisPort: values["redis-port"],
  queueRedisPort: values["queue-redis-port"],
  cpuProfDir: values["cpu-prof"],
  nodeArgs: values["node-args"],
  idleTokens: values["idle-tokens"],
  idleAppsPerAccount: values["idle-apps-per-account"],
  keepSslCertEnv: values["keep-ssl-cert-env"],
  workerCommand: values["worker-command"],
});
const matchingPlan = planNames.find((name) => plans[name].checkIntervalSeconds === options.interval);
if (!matchingPlan) {
  console.error(`--interval ${options.interval}: no plan checks at that interval (${planNames.map((n) => `${plans[n].checkIntervalSeconds} = ${n}`).join(", ")})`);
  process.exit(2);
}
const plan: PlanName = matchingPlan;
const warmupSeconds = options.warmup ?? Math.max(20, 2 * options.interval);

const metricsJsonSchema = z.array(
  z.looseObject({
    name: z.string(),
    values: z.array(z.looseObject({ value: z.number(), labels: z.record(z.string(), z.union([z.string(), z.number()])).optional() })),
  }),
);

/** A labelled counter of a worker's published metrics, e.g. checks by outcome. */
function counterByLabel(raw: string | null, metric: string, label: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!raw) return counts;
  const parsed = metricsJsonSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) return counts;
  for (const value of parsed.data.find((m) => m.name === metric)?.values ?? []) {
    counts.set(String(value.labels?.[label] ?? ""), value.value);
  }
  return counts;
}

/** How much each label's count grew between two publications of one worker. */
function counterDelta(after: string | null, before: string | null, metric: string, label: string): Map<string, number> {
  const [end, start] = [counterByLabel(after, metric, label), counterByLabel(before, metric, label)];
  return new Map([...end].map(([key, value]) => [key, value - (start.get(key) ?? 0)]));
}

function sumCounters(maps: Array<Map<string, number>>): Map<string, number> {
  const total = new Map<string, number>();
  for (const map of maps) for (const [key, value] of map) if (value !== 0) total.set(key, (total.get(key) ?? 0) + value);
  return total;
}

function describeCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([key, value]) => `${key} ${value}`);
  return parts.length ? parts.join(", ") : "none";
}

function defaultBaselineFile(tenants: number, interval: number, workers = 1): string {
  return `bench/results/scheduler-${workers}w-${tenants}-${interval}s.json`;
}

const baselineSchema = z.looseObject({
  workers: z.literal(1),
  checksPerSecondPerWorker: z.number(),
  checksPerCpuSecond: z.number(),
  lagMs: z.looseObject({ p99: z.number() }),
});

/** The one-worker run a --workers N run is compared with; null (and a note) when there is none. */
async function readBaseline(file: string): Promise<{ file: string; checksPerSecondPerWorker: number; checksPerCpuSecond: number; lagP99Ms: number } | null> {
  try {
    const parsed = baselineSchema.parse(JSON.parse(readFileSync(path.resolve(file), "utf8")));
    return { file, checksPerSecondPerWorker: parsed.checksPerSecondPerWorker, checksPerCpuSecond: parsed.checksPerCpuSecond, lagP99Ms: parsed.lagMs.p99 };
  } catch (error) {
    console.error(`no one-worker baseline in ${file} (${(error as Error).message.split("\n")[0]}): run --workers 1 --tenants <tenants / workers> first for the efficiency`);
    return null;
  }
}

/**
 * The Procfile's worker command, built first if it runs the bundle: the benchmark measures
 * the worker as it is deployed (`node <flags> dist/worker.mjs`), not as `npm run dev` runs it.
 */
function procfileWorkerCommand(override: string | undefined): { args: string[] } {
  const line = override ? `worker: ${override}` : readFileSync(path.join(root, "Procfile"), "utf8").split("\n").find((entry) => entry.startsWith("worker:"));
  const [program, ...args] = (line ?? "").slice("worker:".length).trim().split(/\s+/);
  if (program !== "node" || args.length === 0) throw new Error(`the Procfile's worker line is not "node ...": ${line ?? "(none)"}`);
  if (args.some((arg) => arg.startsWith("dist/"))) execFileSync(process.execPath, ["scripts/build-worker.mjs"], { cwd: root, stdio: "inherit" });
  return { args };
}
const procfileWorker = procfileWorkerCommand(options.workerCommand);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface BenchWorker {
  index: number;
  dyno: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  metricsKey: string;
}

/** A worker's next metrics publication (it publishes every few seconds) and when it was seen. */
async function nextPublication(redis: Redis, key: string): Promise<{ value: string | null; atMs: number }> {
  const current = await redis.get(key);
  const deadline = Date.now() + METRICS_PUBLISH_WAIT_MS;
  for (;;) {
    const value = await redis.get(key);
    if (value !== current || Date.now() > deadline) return { value, atMs: Date.now() };
    await sleep(50);
  }
}

async function waitForWorker(redis: Redis, child: ChildProcess, dyno: string, timeoutMs: number): Promise<string> {
  const key = `ebbflow:metrics:${dyno}:${child.pid}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode} while starting`);
    if ((await redis.exists(key)) === 1) return key;
    if (Date.now() > deadline) throw new Error(`the worker did not publish ${key} within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

async function stopWorker(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Reads the lag list in chunks: `<tenantId> <dueAtMs> <lagMs>` per check. */
async function readLagSamples(redis: Redis, key: string): Promise<Array<{ tenantId: string; startedMs: number; lagMs: number }>> {
  const samples: Array<{ tenantId: string; startedMs: number; lagMs: number }> = [];
  const total = await redis.llen(key);
  for (let start = 0; start < total; start += 20_000) {
    for (const entry of await redis.lrange(key, start, start + 19_999)) {
      const [tenantId = "", due = "", lag = ""] = entry.split(" ");
      const dueAtMs = Number(due);
      const lagMs = Number(lag);
      if (Number.isFinite(dueAtMs) && Number.isFinite(lagMs)) samples.push({ tenantId, startedMs: dueAtMs + lagMs, lagMs });
    }
  }
  return samples;
}

/** The worker's log lines at warn and above, grouped by message. */
function summarizeWorkerLog(file: string): Array<{ level: number; msg: string; count: number }> {
  const groups = new Map<string, { level: number; msg: string; count: number }>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let level = 0;
    let msg = line.slice(0, 160);
    try {
      const parsed = z.looseObject({ level: z.number(), msg: z.string() }).parse(JSON.parse(line));
      level = parsed.level;
      msg = parsed.msg;
    } catch {
      // not a pino line (e.g. a stack trace): keep the raw text
    }
    const group = groups.get(msg) ?? { level, msg, count: 0 };
    group.count += 1;
    groups.set(msg, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** p99 lag of the main tenants' checks per slice of the window, to tell a start-up tail from a steady one. */
function lagTimeline(samples: Array<{ tenantId: string; startedMs: number; lagMs: number }>, mainIds: Set<string>, startMs: number, sliceMs: number): number[] {
  const slices: number[][] = [];
  for (const sample of samples) {
    if (!mainIds.has(sample.tenantId)) continue;
    const index = Math.floor((sample.startedMs - startMs) / sliceMs);
    (slices[index] ??= []).push(sample.lagMs);
  }
  return Array.from(slices, (slice) => round(quantile(slice ?? [], 0.99)));
}

async function main(): Promise<void> {
  const runId = randomBytes(3).toString("hex");
  const redisUrl = `redis://127.0.0.1:${options.redisPort}/${options.redisDb}`;
  const namespacePrefix = `bsch${runId}-`;
  const lagKey = `ebbflow:bench:lag:${runId}`;
  const admin = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // The tenants' own job stores: on another server with --queue-redis-port, so that the Redis
  // that --redis-port names counts only Ebbflow's commands, as in production.
  const queueRedisUrl = options.queueRedisPort === undefined ? redisUrl : `redis://127.0.0.1:${options.queueRedisPort}/${options.redisDb}`;
  const queueAdmin = queueRedisUrl === redisUrl ? admin : new Redis(queueRedisUrl, { maxRetriesPerRequest: null });
  let database: ScratchDatabase | null = null;
  let sim: Sim | null = null;
  const workers: BenchWorker[] = [];
  let bursts: BurstGenerator | null = null;
  let stopAgents = () => {};
  let ownsDatabase = false;
  let ownerTimer: NodeJS.Timeout | undefined;
  let cleanedUp = false;

  /** Every step runs whatever failed before it: a scratch database must not outlive the run. */
  const cleanup = async () => {
    if (cleanedUp) return;
    cleanedUp = true;
    const step = async (what: string, run: () => Promise<unknown> | unknown) => {
      try {
        await run();
      } catch (error) {
        console.error(`cleanup: ${what} failed:`, error);
      }
    };
    stopAgents();
    await step("stopping the workers", () => Promise.all(workers.map((worker) => stopWorker(worker.child))));
    await step("stopping the job bursts", () => bursts?.stop());
    await step("closing the simulator", () => sim?.close());
    // BullMQ does not close a connection it was handed; the queue's own must go too, or this
    // process never exits.
    await step("closing the checks queue", async () => {
      await checksQueue().close();
      await checksQueue().disconnect();
    });
    await step("closing connections", async () => {
      await disconnectWebRedis();
      await closeProbeConnections();
      await disconnectDb();
    });
    clearInterval(ownerTimer);
    if (ownsDatabase) {
      await step("deleting Redis keys", async () => {
        await deleteKeys(admin, "ebbflow:*");
        await deleteKeys(queueAdmin, `${namespacePrefix}*`);
        if ((await admin.get(OWNER_KEY)) === runId) await admin.del(OWNER_KEY);
      });
    }
    await step("closing Redis", async () => {
      await admin.quit();
      if (queueAdmin !== admin) await queueAdmin.quit();
    });
    await step("dropping the scratch database", () => database?.drop());
  };

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  // A reader that went away (`| head`) must not kill the run before it cleans up.
  process.stdout.on("error", () => undefined);

  try {
    // One run per Redis database: a second run's cleanup would delete the first one's schedule.
    if ((await admin.set(OWNER_KEY, runId, "PX", OWNER_TTL_MS, "NX")) !== "OK") {
      throw new Error(`another scheduler benchmark (run ${await admin.get(OWNER_KEY)}) is using Redis database ${options.redisDb}; wait for it or pass --redis-db`);
    }
    ownsDatabase = true;
    ownerTimer = setInterval(() => void admin.set(OWNER_KEY, runId, "PX", OWNER_TTL_MS, "XX"), OWNER_TTL_MS / 3);
    const stale = await deleteKeys(admin, "ebbflow:*");
    if (stale > 0) console.log(`deleted ${stale} Ebbflow keys left in Redis database ${options.redisDb} by an earlier run`);

    const setupStarted = performance.now();
    database = await createScratchDatabase();
    await migrate(database.url, path.join(root, "prisma/migrations"));

    let tracker: PushToPatch | null = null;
    sim = await startSim({ port: 0, validateRequests: false, bootDelaySeconds: BENCH_BOOT_SECONDS, onApiResponse: (event) => tracker?.onApiResponse(event) });

    // This process seals sources and tokens and handles push reports; the worker must open them.
    const workerEnv = {
      ...localEnv({ baseUrl: "http://127.0.0.1", databaseUrl: database.url, redisUrl, herokuApiUrl: sim.apiUrl, herokuIdUrl: sim.idUrl }),
      LOG_LEVEL: "warn",
    };
    const workerOnly = new Set(["NODE_ENV", "LOG_LEVEL"]);
    Object.assign(process.env, Object.fromEntries(Object.entries(workerEnv).filter(([name]) => !workerOnly.has(name))));

    const scalingTenants = Math.round(options.tenants * options.scalingFraction);
    const world = await buildWorld({
      sim,
      redis: admin,
      queueRedis: queueAdmin,
      queueRedisUrl,
      namespacePrefix,
      tenants: options.tenants,
      plan,
      scalingTenants,
      appsPerAccount: options.appsPerAccount,
      pushTenants: options.pushTenants,
      pushAppsPerAccount: 5,
      idleTokens: options.idleTokens,
      idleAppsPerAccount: options.idleAppsPerAccount,
    });
    const seededSeconds = (performance.now() - setupStarted) / 1000;
    const scheduleStarted = performance.now();
    const scheduled = await reconcileSchedules(admin);
    const scheduleSeconds = (performance.now() - scheduleStarted) / 1000;
    console.log(
      `world: ${options.tenants} ${plan} tenants (${scalingTenants} scaling on ${world.scalingAccounts} accounts, ${options.tenants - scalingTenants} idle ` +
        `${options.idleTokens ? `with scaling tokens on ${world.idleAccounts} accounts` : "without scaling tokens"}), ` +
        `${world.push.length} pro push tenants on ${world.pushAccounts} accounts; seeded in ${seededSeconds.toFixed(1)} s, scheduled ${scheduled.total} in ${scheduleSeconds.toFixed(1)} s; ` +
        `database ${database.name}`,
    );

    tracker = new PushToPatch(webRedis());
    const scalingApps = world.main.flatMap((tenant) => (tenant.kind === "scaling" && tenant.app ? [tenant.app.name] : []));
    bursts = startJobBursts({ sim, appNames: scalingApps, meanGapSeconds: options.burstGapSeconds, jobs: [5, 25], jobSeconds: [5, 30], seed: options.seed });
    await bursts.kickOff(0.25);

    const nodeArgs = [
      ...(options.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(options.cpuProfDir)] : []),
      ...(options.nodeArgs?.split(" ").filter(Boolean) ?? []),
      ...procfileWorker.args,
    ];
    const inherited = { ...process.env };
    if (!options.keepSslCertEnv) {
      delete inherited.SSL_CERT_DIR;
      delete inherited.SSL_CERT_FILE;
    }
    // Worker dynos bench-worker.1 … N, each with its own lag list and log.
    for (let index = 1; index <= options.workers; index += 1) {
      const logFile = path.join(os.tmpdir(), `ebbflow-bench-worker-${runId}-${index}.log`);
      const logFd = openSync(logFile, "w");
      const dyno = `bench-worker.${index}`;
      const child = spawn(process.execPath, nodeArgs, {
        cwd: root,
        env: { ...inherited, ...workerEnv, DYNO: dyno, EBBFLOW_BENCH_LAG_KEY: `${lagKey}:${index}` },
        stdio: ["ignore", logFd, logFd],
      });
      closeSync(logFd);
      if (child.pid === undefined) throw new Error(`worker ${index} did not start`);
      workers.push({ index, dyno, child, pid: child.pid, logFile, metricsKey: "" });
    }
    for (const worker of workers) worker.metricsKey = await waitForWorker(admin, worker.child, worker.dyno, 120_000);
    bursts.start();
    // The push tenants' agents report every AGENT_REPORT_EVERY_MS, spread over that period.
    const agentTimers = world.push.flatMap((tenant, index) => {
      const target = tenant.app ? { tenantId: tenant.id, appId: tenant.app.id } : null;
      if (!target) return [];
      const send = () => void tracker?.sendSteady(target);
      let interval: NodeJS.Timeout | undefined;
      const start = setTimeout(() => {
        send();
        interval = setInterval(send, AGENT_REPORT_EVERY_MS);
      }, (index * AGENT_REPORT_EVERY_MS) / world.push.length);
      return [() => (clearTimeout(start), clearInterval(interval))];
    });
    stopAgents = () => agentTimers.forEach((stop) => stop());
    console.log(
      `${workers.length} worker process(es) started (pids ${workers.map((w) => w.pid).join(", ")}); warming up ${warmupSeconds} s, then measuring ${options.duration} s (load average ${loadAverage().join(" ")})`,
    );
    await sleep(warmupSeconds * 1000);

    // The measured window.
    const windowStartMs = Date.now();
    const cpuBefore = workers.map((worker) => cpuSecondsOf(worker.pid));
    // The counters cover from each worker's first publication in the window to its first after it.
    const metricsBeforeSoon = Promise.all(workers.map((worker) => nextPublication(admin, worker.metricsKey)));
    const commandsBefore = await readCommandCounts(admin);
    const tablesBefore = await readTableWrites(database.url);
    const loadBefore = loadAverage();
    const peakSampledRssMb = workers.map(() => 0);
    const rssSampler = setInterval(() => {
      workers.forEach((worker, index) => {
        if (worker.child.exitCode === null) peakSampledRssMb[index] = Math.max(peakSampledRssMb[index] ?? 0, memoryOf(worker.pid).rssMb);
      });
    }, 1000);
    const reportSpacingMs = options.pushReports > 0 ? (Math.max(1, options.duration - 6) * 1000) / options.pushReports : 0;
    const reports: Array<Promise<void>> = [];
    const reportTimers = world.push.length === 0 ? [] : Array.from({ length: options.pushReports }, (_, index) => {
      const tenant = world.push[index % world.push.length];
      return setTimeout(() => {
        if (tracker && tenant?.app) reports.push(tracker.send({ tenantId: tenant.id, appId: tenant.app.id }));
      }, 1000 + index * reportSpacingMs);
    });
    await sleep(options.duration * 1000);
    const windowEndMs = Date.now();
    const cpuAfter = workers.map((worker) => cpuSecondsOf(worker.pid));
    const memory = workers.map((worker) => memoryOf(worker.pid));
    const commandsAfter = await readCommandCounts(admin);
    const tablesAfter = await readTableWrites(database.url);
    const published = await metricsBeforeSoon;
    const metricsBefore = published.map((publication) => publication.value);
    const publishedAfter = await Promise.all(workers.map((worker) => nextPublication(admin, worker.metricsKey)));
    const metricsAfter = publishedAfter.map((publication) => publication.value);
    const metricsSeconds = round(publishedAfter.reduce((total, after, index) => total + after.atMs - (published[index]?.atMs ?? after.atMs), 0) / 1000 / workers.length, 1);
    const loadAfter = loadAverage();
    clearInterval(rssSampler);
    for (const timer of reportTimers) clearTimeout(timer);
    await Promise.all(reports);
    await sleep(2000);
    tracker.finish();
    stopAgents();
    await bursts.stop();
    const crashed = workers.find((worker) => worker.child.exitCode !== null);
    if (crashed) throw new Error(`worker ${crashed.index} exited with ${crashed.child.exitCode} during the run; see ${crashed.logFile}`);
    const exitCodes = await Promise.all(workers.map((worker) => stopWorker(worker.child)));

    const mainIds = new Set(world.main.map((tenant) => tenant.id));
    const perWorkerSamples = await Promise.all(workers.map((worker) => readLagSamples(admin, `${lagKey}:${worker.index}`)));
    const perWorkerInWindow = perWorkerSamples.map((samples) => samples.filter((sample) => sample.startedMs >= windowStartMs && sample.startedMs < windowEndMs));
    const inWindow = perWorkerInWindow.flat();
    const lags = inWindow.filter((sample) => mainIds.has(sample.tenantId)).map((sample) => sample.lagMs);
    const pushLags = inWindow.filter((sample) => !mainIds.has(sample.tenantId)).map((sample) => sample.lagMs);
    const events = await db.scaleEvent.groupBy({
      by: ["outcome"],
      where: { occurredAt: { gte: new Date(windowStartMs), lt: new Date(windowEndMs) } },
      _count: { _all: true },
    });

    const seconds = (windowEndMs - windowStartMs) / 1000;
    const lagOf = (values: number[]) => ({ p50: round(quantile(values, 0.5)), p99: round(quantile(values, 0.99)), max: round(values.length ? values.reduce((most, value) => Math.max(most, value), -Infinity) : Number.NaN) });
    const lagMs = lagOf(lags);
    const pushToPatchMs = { p50: round(quantile(tracker.latenciesMs, 0.5)), p99: round(quantile(tracker.latenciesMs, 0.99)) };
    const perWorker = workers.map((worker, index) => {
      const checks = perWorkerInWindow[index] ?? [];
      const cpuSeconds = (cpuAfter[index] ?? 0) - (cpuBefore[index] ?? 0);
      return {
        worker: worker.dyno,
        checks: checks.length,
        checksPerSecond: round(checks.length / seconds),
        lagMs: lagOf(checks.map((sample) => sample.lagMs)),
        cpuSeconds: round(cpuSeconds, 2),
        peakRssMb: round(memory[index]?.peakRssMb ?? Number.NaN),
      };
    });
    const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);
    const checksByOutcome = Object.fromEntries(
      sumCounters(workers.map((_, index) => counterDelta(metricsAfter[index] ?? null, metricsBefore[index] ?? null, "ebbflow_checks_total", "outcome"))),
    );
    const errorsByKind = Object.fromEntries(
      sumCounters(workers.map((_, index) => counterDelta(metricsAfter[index] ?? null, metricsBefore[index] ?? null, "ebbflow_errors_total", "kind"))),
    );
    const checkKinds = new Set<string>(checkFailureKinds);
    const failedChecks = checksByOutcome.error ?? 0;
    const failedChecksWithoutKind = failedChecks - sum(Object.entries(errorsByKind).filter(([kind]) => checkKinds.has(kind)).map(([, count]) => count));
    const cpuSeconds = sum(perWorker.map((worker) => worker.cpuSeconds));
    const counts = perWorker.map((worker) => worker.checks);
    const meanChecks = sum(counts) / Math.max(1, counts.length);
    const spread = {
      minOverMean: round(Math.min(...counts) / meanChecks, 3),
      maxOverMean: round(Math.max(...counts) / meanChecks, 3),
    };
    const commands = commandDelta(commandsAfter, commandsBefore);
    const tables = tableDelta(tablesAfter, tablesBefore);
    const totalChecks = inWindow.length;
    const result = {
      tenants: options.tenants,
      workers: options.workers,
      intervalSeconds: options.interval,
      durationSeconds: options.duration,
      checks: lags.length,
      checksPerSecond: round(lags.length / seconds),
      checksPerSecondPerWorker: round(lags.length / seconds / options.workers),
      lagMs,
      peakRssMb: round(Math.max(...perWorker.map((worker) => worker.peakRssMb))),
      cpuSeconds: round(cpuSeconds, 2),
      checksPerCpuSecond: round(totalChecks / cpuSeconds),
      pushToPatchMs,
      /** From the workers' counters, over metricsSeconds (one publication period after the window's start to one after its end). */
      metricsSeconds,
      checksByOutcome,
      errorsByKind,
      failedChecksWithoutKind,
      perWorker,
      spread,
      loadAverage: { before: loadBefore, after: loadAfter },
      redis: {
        exclusive: options.redisPort !== 6379,
        /** False: the tenants' job stores (probes, simulated dynos) are counted in too. */
        ebbflowOnly: queueRedisUrl !== redisUrl,
        commandsPerSecond: round(sum(commands.map((entry) => entry.calls)) / seconds),
        commandsPerCheck: round(sum(commands.map((entry) => entry.calls)) / totalChecks, 2),
        byCommand: Object.fromEntries(commands.slice(0, 25).map((entry) => [entry.command, round(entry.calls / totalChecks, 3)])),
      },
      postgres: Object.fromEntries(
        tables.map((table) => [table.table, { rowsWrittenPerSecond: round((table.inserted + table.updated + table.deleted) / seconds), insertedPerSecond: round(table.inserted / seconds), updatedPerSecond: round(table.updated / seconds), bytesPerSecond: round(table.bytes / seconds) }]),
      ),
      efficiency: null as null | { baseline: string; perWorkerThroughput: number; perCpuSecond: number; baselineLagP99Ms: number },
    };
    const baseline = options.workers > 1 ? await readBaseline(options.baseline ?? defaultBaselineFile(options.tenants / options.workers, options.interval)) : null;
    if (baseline) {
      result.efficiency = {
        baseline: baseline.file,
        perWorkerThroughput: round(result.checksPerSecondPerWorker / baseline.checksPerSecondPerWorker, 3),
        perCpuSecond: round(result.checksPerCpuSecond / baseline.checksPerCpuSecond, 3),
        baselineLagP99Ms: baseline.lagP99Ms,
      };
    }

    const expectedChecks = Math.round((options.tenants * seconds) / options.interval);
    const yesNo = (met: boolean) => (met ? "yes" : "NO");
    console.log(`\nscheduler benchmark, ${options.workers} worker process(es), ${seconds.toFixed(1)} s measured after ${warmupSeconds} s warm-up`);
    console.table([
      { metric: "tenants × interval", value: `${options.tenants} × ${options.interval} s (${plan})`, target: "", met: "" },
      { metric: "checks (expected)", value: `${result.checks} (${expectedChecks})`, target: "", met: "" },
      { metric: "checks per second", value: result.checksPerSecond, target: `${round(options.tenants / options.interval)}`, met: yesNo(result.checks >= expectedChecks * 0.98) },
      { metric: "check lag p50 ms", value: lagMs.p50, target: "", met: "" },
      { metric: "check lag p99 ms", value: lagMs.p99, target: "< 1000", met: yesNo(lagMs.p99 < 1000) },
      { metric: "check lag max ms", value: lagMs.max, target: "", met: "" },
      { metric: "failed checks / without a kind", value: `${failedChecks} / ${failedChecksWithoutKind}`, target: "0 / 0", met: yesNo(failedChecks === 0 && failedChecksWithoutKind === 0) },
      { metric: "workers' CPU seconds (all)", value: result.cpuSeconds, target: "", met: "" },
      { metric: "checks per worker CPU second", value: result.checksPerCpuSecond, target: "", met: "" },
      { metric: "peak RSS MB of any worker (VmHWM)", value: result.peakRssMb, target: "<= 256", met: yesNo(result.peakRssMb <= 256) },
      { metric: "push → PATCH p50 ms", value: pushToPatchMs.p50, target: "", met: "" },
      { metric: "push → PATCH p99 ms", value: pushToPatchMs.p99, target: "< 500", met: yesNo(pushToPatchMs.p99 < 500) },
      ...(options.workers > 1
        ? [
            { metric: "checks per worker: min / max over mean", value: `${spread.minOverMean} / ${spread.maxOverMean}`, target: "", met: "" },
            {
              metric: "scale-out efficiency (checks/s per worker vs 1 worker)",
              value: result.efficiency ? `${result.efficiency.perWorkerThroughput} (per CPU s ${result.efficiency.perCpuSecond})` : "no baseline run",
              target: ">= 0.9",
              met: result.efficiency ? yesNo(result.efficiency.perWorkerThroughput >= 0.9 && lagMs.p99 < 1000 && result.efficiency.baselineLagP99Ms < 1000) : "",
            },
          ]
        : []),
    ]);
    console.log("per worker:");
    console.table(perWorker.map((worker, index) => ({ ...worker, lagMs: `${worker.lagMs.p50} / ${worker.lagMs.p99} / ${worker.lagMs.max}`, rssEndMb: round(memory[index]?.rssMb ?? Number.NaN), peakSampledRssMb: round(peakSampledRssMb[index] ?? Number.NaN) })));
    console.log("details:");
    console.table([
      { what: "failures the world causes on purpose", value: "none: every check should end ok (or skipped when a check overruns); any error is reported by kind" },
      { what: "push reports sent / PATCHed / not calling for more / missed / failed", value: `${tracker.sent} / ${tracker.latenciesMs.length} / ${tracker.notTriggered} / ${tracker.missed} / ${tracker.failed}` },
      { what: "check lag p99 ms by 20 s of the window", value: lagTimeline(inWindow, mainIds, windowStartMs, 20_000).join(" | ") },
      { what: "push tenants' checks in window, lag p50 / p99 ms", value: `${pushLags.length}, ${round(quantile(pushLags, 0.5))} / ${round(quantile(pushLags, 0.99))}` },
      { what: `checks by outcome (worker metrics, ${metricsSeconds} s)`, value: describeCounts(checksByOutcome) },
      { what: "errors by kind (worker metrics)", value: describeCounts(errorsByKind) },
      { what: "scale events in window by outcome", value: events.map((e) => `${e.outcome} ${e._count._all}`).join(", ") || "none" },
      { what: "formation calls the simulator answered (whole run)", value: [...tracker.apiCalls].map(([k, v]) => `${k}: ${v}`).join(", ") || "none" },
      { what: "job bursts / jobs enqueued (whole run)", value: `${bursts.bursts} / ${bursts.jobs}` },
      { what: `Redis commands per check / per s${result.redis.exclusive ? "" : " (shared server: includes others' traffic)"}`, value: `${result.redis.commandsPerCheck} / ${result.redis.commandsPerSecond}` },
      { what: "Postgres rows written per s (samples, events, tenants)", value: tables.map((t) => `${t.table} ${round((t.inserted + t.updated + t.deleted) / seconds)} (${round(t.bytes / seconds)} B/s)`).join(", ") },
      { what: "load average before / after window", value: `${loadBefore.join(" ")} / ${loadAfter.join(" ")}` },
      { what: "worker exit codes", value: exitCodes.join(", ") },
    ]);
    for (const worker of workers) {
      const logged = summarizeWorkerLog(worker.logFile);
      if (logged.length === 0) continue;
      console.log(`worker ${worker.index} log (${worker.logFile}), by message:`);
      for (const line of logged.slice(0, 8)) console.log(`  ${line.count} × [${line.level}] ${line.msg}`);
    }

    const out = path.resolve(options.out ?? defaultBaselineFile(options.tenants, options.interval, options.workers));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\n${JSON.stringify({ ...result, perWorker: undefined, redis: undefined, postgres: undefined })}\nwritten to ${path.relative(process.cwd(), out)}`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
