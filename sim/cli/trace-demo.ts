import type { SimTimer } from "../clock";
import { runLoad } from "../load/load-generator";
import type { Trace } from "../load/trace";
import type { Sim } from "../start-sim";
import type { JobStoreSpec } from "../world/app-spec";

export interface TraceDemoOptions {
  sim: Sim;
  trace: Trace;
  jobs: JobStoreSpec;
  appName: string;
  /** Worker dynos at the start (an autoscaler may change it through the API). */
  initialQuantity: number;
  size?: string;
  concurrency?: number;
  bootSeconds?: number;
  /** Sim seconds between report lines. */
  reportEverySeconds: number;
  print: (line: string) => void;
}

export interface TraceDemo {
  appName: string;
  accessToken: string;
  /** Resolves when the trace has been replayed and every job has run. */
  finished: Promise<void>;
  stop(): void;
}

function slug(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").replace(/-+$/, "");
  return cleaned.slice(0, 30).replace(/-+$/, "");
}

/** A valid app name derived from the trace's name, or the given fallback. */
export function demoAppName(trace: Trace, fallback: string): string {
  const fromTrace = trace.header?.name ? slug(trace.header.name) : "";
  return fromTrace.length >= 3 ? fromTrace : fallback;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width);
}

/**
 * Creates a demo account and app, replays the trace into the app's queue and prints one line
 * every few sim seconds: queue depth, dynos by state, jobs and the dyno cost so far.
 */
export async function startTraceDemo(options: TraceDemoOptions): Promise<TraceDemo> {
  const { sim, trace, print } = options;
  const account =
    sim.world.accounts.find("demo@ebbflow.test") ?? sim.createAccount({ email: "demo@ebbflow.test", name: "Ebbflow Demo" });
  const token = sim.issueToken(account.id, ["global"]);
  const header = trace.header?.dyno;
  const queues = [...new Set(trace.jobs.map((job) => job.queue))];
  const app = await options.sim.createApp({
    name: options.appName,
    owner: account.id,
    jobs: options.jobs,
    processTypes: [
      {
        type: "worker",
        size: options.size ?? header?.size ?? "standard-1x",
        concurrency: options.concurrency ?? header?.concurrency ?? 10,
        bootDelaySeconds: options.bootSeconds ?? header?.boot_seconds,
        quantity: options.initialQuantity,
        queues: queues.length > 0 ? queues : ["default"],
      },
    ],
  });
  const backend = app.runtime.backend;
  if (!backend) throw new Error("the demo app has no job store");

  const startMs = sim.clock.now();
  const load = runLoad({
    clock: sim.clock,
    jobs: trace.jobs,
    enqueue: (job) => backend.enqueue({ queue: job.queue, durationSeconds: job.duration }),
    onError: (error) => print(`enqueue failed: ${String(error)}`),
  });

  let reportTimer: SimTimer | null = null;
  let stopped = false;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const report = async (): Promise<boolean> => {
    const depth = await app.runtime.queueDepth(queues.length > 0 ? queues : ["default"]);
    const stats = app.runtime.stats();
    const elapsed = Math.round((sim.clock.now() - startMs) / 1000);
    print(
      `[sim t=${pad(elapsed, 6)}s] depth=${depth} dynos up=${stats.dynos.up} booting=${stats.dynos.starting} ` +
        `stopping=${stats.dynos.stopping} busy=${stats.busy} cost=$${stats.usage.dollars.toFixed(4)} ` +
        `jobs=${stats.jobs.completed}/${trace.jobs.length} killed=${stats.jobs.killed}`,
    );
    return load.enqueued() >= trace.jobs.length && depth === 0 && stats.busy === 0;
  };

  const tick = async () => {
    reportTimer = null;
    if (stopped) return;
    const done = await report();
    if (done) {
      const stats = app.runtime.stats();
      print(
        `trace complete: ${stats.jobs.completed} jobs, ${stats.jobs.killed} killed, ` +
          `${(stats.usage.dynoSeconds / 3600).toFixed(3)} dyno-hours, $${stats.usage.dollars.toFixed(4)}`,
      );
      finish();
      return;
    }
    reportTimer = sim.clock.setTimer(options.reportEverySeconds * 1000, tick);
  };
  reportTimer = sim.clock.setTimer(options.reportEverySeconds * 1000, tick);

  return {
    appName: app.name,
    accessToken: token.accessToken,
    finished,
    stop: () => {
      stopped = true;
      reportTimer?.cancel();
      load.stop();
      finish();
    },
  };
}
