import "@/bench/lib/quiet-logs";
import { spawn, type ChildProcess } from "node:child_process";
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
import { PushToPatch } from "@/bench/lib/push-to-patch";
import { BENCH_BOOT_SECONDS, buildWorld, createScratchDatabase, deleteKeys, type ScratchDatabase } from "@/bench/lib/scheduler-world";
import { quantile, round } from "@/bench/lib/stats";
import { planNames, plans, type PlanName } from "@/lib/billing/plans";
import { reconcileSchedules } from "@/lib/checks/reconcile-schedules";
import { checksQueue } from "@/lib/checks/trigger-check";
import { db, disconnectDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { closeProbeConnections } from "@/lib/queues/probe";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";
import { localEnv } from "@/scripts/local-env";
import { startSim, type Sim } from "@/sim/start-sim";

/**
 * Scheduler benchmark: N simulated tenants checked by ONE worker process, with real Redis
 * queues and the simulated Heroku.
 *
 *   npm run bench:scheduler -- --tenants 10000 --interval 10 --duration 120 [--out FILE.json]
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
 * worker runs as the Procfile runs it (node --import tsx worker/index.ts); --node-args adds
 * node flags for experiments (e.g. --node-args=--max-old-space-size=384, or
 * --node-args=--import=./bench/lib/worker-memory-probe.ts to log the worker's heap by space
 * every 5 s) and --cpu-prof DIR writes a CPU profile of the worker.
 *
 * The worker's environment is this process's minus SSL_CERT_DIR and SSL_CERT_FILE (unless
 * --keep-ssl-cert-env): heroku-client reads every file those name on every request, which
 * with this machine's setting (/etc/ssl/certs, about 300 files) costs about 10 ms of CPU per
 * Platform API call. The simulator speaks plain HTTP, so the worker needs no CA files here,
 * and keeping them would measure this machine's setting rather than the worker; wherever
 * they are set in production the same cost applies, which --keep-ssl-cert-env shows.
 *
 * Redis: everything lives in logical database --redis-db (default 9). A run holds a key there
 * while it runs and refuses to start if another run holds it; it deletes Ebbflow's keys
 * there (ebbflow:*) before and after, so its schedule never mixes with a test run's workers
 * on database 0 or with another run.
 */

const root = path.resolve(import.meta.dirname, "..");
const WORKER_DYNO = "bench-worker.1";
/** How often a push tenant's agent reports when nothing changes (agents report every few seconds). */
const AGENT_REPORT_EVERY_MS = 5_000;
/** Held (and refreshed) by the run that uses a Redis database, outside Ebbflow's own keys. */
const OWNER_KEY = "ebbflow-bench:scheduler:owner";
const OWNER_TTL_MS = 30_000;

const { values } = parseArgs({
  options: {
    tenants: { type: "string", default: "10000" },
    interval: { type: "string", default: "10" },
    duration: { type: "string", default: "120" },
    warmup: { type: "string" },
    out: { type: "string", default: "bench/results/scheduler.json" },
    "scaling-fraction": { type: "string", default: "0.02" },
    "apps-per-account": { type: "string", default: "10" },
    "burst-gap": { type: "string", default: "120" },
    "push-tenants": { type: "string", default: "20" },
    "push-reports": { type: "string", default: "100" },
    "redis-db": { type: "string", default: "9" },
    seed: { type: "string", default: "1" },
    "cpu-prof": { type: "string" },
    "node-args": { type: "string" },
    "idle-tokens": { type: "boolean", default: false },
    "idle-apps-per-account": { type: "string", default: "100" },
    "keep-ssl-cert-env": { type: "boolean", default: false },
  },
});

const optionsSchema = z.object({
  tenants: z.coerce.number().int().min(1),
  interval: z.coerce.number().int().positive(),
  duration: z.coerce.number().positive(),
  warmup: z.coerce.number().min(0).optional(),
  out: z.string().min(1),
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
});

const options = optionsSchema.parse({
  ...values,
  scalingFraction: values["scaling-fraction"],
  appsPerAccount: values["apps-per-account"],
  burstGapSeconds: values["burst-gap"],
  pushTenants: values["push-tenants"],
  pushReports: values["push-reports"],
  redisDb: values["redis-db"],
  cpuProfDir: values["cpu-prof"],
  nodeArgs: values["node-args"],
  idleTokens: values["idle-tokens"],
  idleAppsPerAccount: values["idle-apps-per-account"],
  keepSslCertEnv: values["keep-ssl-cert-env"],
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

/** A labelled counter of the worker's published metrics, e.g. checks by outcome. */
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

function difference(after: Map<string, number>, before: Map<string, number>): string {
  const parts = [...after].map(([key, value]) => `${key} ${value - (before.get(key) ?? 0)}`).filter((part) => !part.endsWith(" 0"));
  return parts.length ? parts.join(", ") : "none";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForWorker(redis: Redis, child: ChildProcess, timeoutMs: number): Promise<string> {
  const key = `ebbflow:metrics:${WORKER_DYNO}:${child.pid}`;
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
  const redisUrl = `redis://127.0.0.1:6379/${options.redisDb}`;
  const namespacePrefix = `bsch${runId}-`;
  const lagKey = `ebbflow:bench:lag:${runId}`;
  const workerLog = path.join(os.tmpdir(), `ebbflow-bench-worker-${runId}.log`);
  const admin = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let database: ScratchDatabase | null = null;
  let sim: Sim | null = null;
  let child: ChildProcess | null = null;
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
    await step("stopping the worker", () => child && stopWorker(child));
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
        await deleteKeys(admin, `${namespacePrefix}*`);
        if ((await admin.get(OWNER_KEY)) === runId) await admin.del(OWNER_KEY);
      });
    }
    await step("closing Redis", () => admin.quit());
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
      DYNO: WORKER_DYNO,
      EBBFLOW_BENCH_LAG_KEY: lagKey,
    };
    const workerOnly = new Set(["NODE_ENV", "LOG_LEVEL", "DYNO", "EBBFLOW_BENCH_LAG_KEY"]);
    Object.assign(process.env, Object.fromEntries(Object.entries(workerEnv).filter(([name]) => !workerOnly.has(name))));

    const scalingTenants = Math.round(options.tenants * options.scalingFraction);
    const world = await buildWorld({
      sim,
      redis: admin,
      queueRedisUrl: redisUrl,
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
        `${world.push.length} pro push tenants on ${world.pushAccounts} accounts; seeded in ${seededSeconds.toFixed(1)} s, scheduled ${scheduled.total} in ${scheduleSeconds.toFixed(1)} s`,
    );

    tracker = new PushToPatch(webRedis());
    const scalingApps = world.main.flatMap((tenant) => (tenant.kind === "scaling" && tenant.app ? [tenant.app.name] : []));
    bursts = startJobBursts({ sim, appNames: scalingApps, meanGapSeconds: options.burstGapSeconds, jobs: [5, 25], jobSeconds: [5, 30], seed: options.seed });
    await bursts.kickOff(0.25);

    const logFd = openSync(workerLog, "w");
    const nodeArgs = [
      ...(options.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(options.cpuProfDir)] : []),
      "--import",
      "tsx",
      // After tsx, so that a preloaded TypeScript module (--import=...) can be read.
      ...(options.nodeArgs?.split(" ").filter(Boolean) ?? []),
      "worker/index.ts",
    ];
    const inherited = { ...process.env };
    if (!options.keepSslCertEnv) {
      delete inherited.SSL_CERT_DIR;
      delete inherited.SSL_CERT_FILE;
    }
    child = spawn(process.execPath, nodeArgs, { cwd: root, env: { ...inherited, ...workerEnv }, stdio: ["ignore", logFd, logFd] });
    closeSync(logFd);
    const pid = child.pid;
    if (pid === undefined) throw new Error("the worker process did not start");
    const metricsKey = await waitForWorker(admin, child, 120_000);
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
    console.log(`worker pid ${pid} started; warming up ${warmupSeconds} s, then measuring ${options.duration} s (load average ${loadAverage().join(" ")})`);
    await sleep(warmupSeconds * 1000);

    // The measured window.
    const windowStartMs = Date.now();
    const cpuBefore = cpuSecondsOf(pid);
    const metricsBefore = await admin.get(metricsKey);
    const loadBefore = loadAverage();
    let peakSampledRssMb = 0;
    const rssSampler = setInterval(() => {
      if (child?.exitCode === null) peakSampledRssMb = Math.max(peakSampledRssMb, memoryOf(pid).rssMb);
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
    const cpuAfter = cpuSecondsOf(pid);
    const memory = memoryOf(pid);
    const metricsAfter = await admin.get(metricsKey);
    const loadAfter = loadAverage();
    clearInterval(rssSampler);
    for (const timer of reportTimers) clearTimeout(timer);
    await Promise.all(reports);
    await sleep(2000);
    tracker.finish();
    stopAgents();
    await bursts.stop();
    if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode} during the run; see ${workerLog}`);
    const exitCode = await stopWorker(child);

    const samples = await readLagSamples(admin, lagKey);
    const mainIds = new Set(world.main.map((tenant) => tenant.id));
    const inWindow = samples.filter((sample) => sample.startedMs >= windowStartMs && sample.startedMs < windowEndMs);
    const lags = inWindow.filter((sample) => mainIds.has(sample.tenantId)).map((sample) => sample.lagMs);
    const pushLags = inWindow.filter((sample) => !mainIds.has(sample.tenantId)).map((sample) => sample.lagMs);
    const events = await db.scaleEvent.groupBy({
      by: ["outcome"],
      where: { occurredAt: { gte: new Date(windowStartMs), lt: new Date(windowEndMs) } },
      _count: { _all: true },
    });

    const seconds = (windowEndMs - windowStartMs) / 1000;
    const cpuSeconds = cpuAfter - cpuBefore;
    const lagMs = { p50: round(quantile(lags, 0.5)), p99: round(quantile(lags, 0.99)), max: round(lags.length ? Math.max(...lags) : Number.NaN) };
    const pushToPatchMs = { p50: round(quantile(tracker.latenciesMs, 0.5)), p99: round(quantile(tracker.latenciesMs, 0.99)) };
    const result = {
      tenants: options.tenants,
      intervalSeconds: options.interval,
      durationSeconds: options.duration,
      checks: lags.length,
      checksPerSecond: round(lags.length / seconds),
      lagMs,
      peakRssMb: round(memory.peakRssMb),
      cpuSeconds: round(cpuSeconds, 2),
      pushToPatchMs,
    };

    const expectedChecks = Math.round((options.tenants * seconds) / options.interval);
    const yesNo = (met: boolean) => (met ? "yes" : "NO");
    console.log(`\nscheduler benchmark, one worker process, ${seconds.toFixed(1)} s measured after ${warmupSeconds} s warm-up`);
    console.table([
      { metric: "tenants × interval", value: `${options.tenants} × ${options.interval} s (${plan})`, target: "", met: "" },
      { metric: "checks (expected)", value: `${result.checks} (${expectedChecks})`, target: "", met: "" },
      { metric: "checks per second", value: result.checksPerSecond, target: `${round(options.tenants / options.interval)}`, met: yesNo(result.checks >= expectedChecks * 0.98) },
      { metric: "check lag p50 ms", value: lagMs.p50, target: "", met: "" },
      { metric: "check lag p99 ms", value: lagMs.p99, target: "< 1000", met: yesNo(lagMs.p99 < 1000) },
      { metric: "check lag max ms", value: lagMs.max, target: "", met: "" },
      { metric: "worker CPU seconds", value: result.cpuSeconds, target: "", met: "" },
      { metric: "worker CPU % of one core", value: round((100 * cpuSeconds) / seconds), target: "", met: "" },
      { metric: "worker peak RSS MB (VmHWM)", value: result.peakRssMb, target: "< 512", met: yesNo(result.peakRssMb < 512) },
      { metric: "worker RSS MB at end / peak sampled", value: `${round(memory.rssMb)} / ${round(peakSampledRssMb)}`, target: "", met: "" },
      { metric: "push → PATCH p50 ms", value: pushToPatchMs.p50, target: "", met: "" },
      { metric: "push → PATCH p99 ms", value: pushToPatchMs.p99, target: "< 500", met: yesNo(pushToPatchMs.p99 < 500) },
    ]);
    console.log("details:");
    console.table([
      { what: "push reports sent / PATCHed / not calling for more / missed / failed", value: `${tracker.sent} / ${tracker.latenciesMs.length} / ${tracker.notTriggered} / ${tracker.missed} / ${tracker.failed}` },
      { what: "check lag p99 ms by 20 s of the window", value: lagTimeline(inWindow, mainIds, windowStartMs, 20_000).join(" | ") },
      { what: "push tenants' checks in window, lag p50 / p99 ms", value: `${pushLags.length}, ${round(quantile(pushLags, 0.5))} / ${round(quantile(pushLags, 0.99))}` },
      { what: "checks by outcome (worker metrics, ±5 s)", value: difference(counterByLabel(metricsAfter, "ebbflow_checks_total", "outcome"), counterByLabel(metricsBefore, "ebbflow_checks_total", "outcome")) },
      { what: "errors by kind (worker metrics, ±5 s)", value: difference(counterByLabel(metricsAfter, "ebbflow_errors_total", "kind"), counterByLabel(metricsBefore, "ebbflow_errors_total", "kind")) },
      { what: "scale events in window by outcome", value: events.map((e) => `${e.outcome} ${e._count._all}`).join(", ") || "none" },
      { what: "formation calls the simulator answered (whole run)", value: [...tracker.apiCalls].map(([k, v]) => `${k}: ${v}`).join(", ") || "none" },
      { what: "job bursts / jobs enqueued (whole run)", value: `${bursts.bursts} / ${bursts.jobs}` },
      { what: "load average before / after window", value: `${loadBefore.join(" ")} / ${loadAfter.join(" ")}` },
      { what: "worker exit code", value: String(exitCode) },
    ]);
    const logged = summarizeWorkerLog(workerLog);
    if (logged.length > 0) {
      console.log(`worker log (${workerLog}), by message:`);
      for (const line of logged.slice(0, 8)) console.log(`  ${line.count} × [${line.level}] ${line.msg}`);
    }

    const out = path.resolve(options.out);
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\n${JSON.stringify(result)}\nwritten to ${path.relative(process.cwd(), out)}`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
