import { type Job, WaitingError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import type { SimClock } from "../clock";
import type { JobRunner, RunnerSpec } from "./job-backend";

export interface BullmqRunnerDeps {
  redisUrl: string;
  prefix: string;
  clock: SimClock;
  defaultJobSeconds: number;
  onError: (error: unknown, context: string) => void;
}

/** The simulated job's run time: `data.duration` in seconds. */
const jobDataSchema = z.looseObject({ duration: z.number().min(0) });

interface RunningJob {
  controller: AbortController;
  settled: Promise<void>;
}

/**
 * One dyno's BullMQ worker process: a real BullMQ Worker per queue (as BullMQ apps run them),
 * each with the dyno's concurrency, whose processor waits out the job's duration on the sim
 * clock. A killed job is moved back to `wait` with its lock token, which is where BullMQ's
 * stalled-job check would put a job whose worker died.
 */
export class BullmqRunner implements JobRunner {
  private readonly workers: Worker[] = [];
  private readonly running = new Map<string, RunningJob>();
  private connection: Redis | null = null;
  private quieted = false;
  private exited = false;

  constructor(
    private readonly spec: RunnerSpec,
    private readonly deps: BullmqRunnerDeps,
  ) {}

  async start(): Promise<void> {
    const connection = new Redis(this.deps.redisUrl, { maxRetriesPerRequest: null });
    connection.on("error", (error) => this.deps.onError(error, "bullmq worker redis"));
    this.connection = connection;
    for (const queue of this.spec.queues) {
      const worker = new Worker(queue, (job, token) => this.process(job, token), {
        connection,
        prefix: this.deps.prefix,
        concurrency: this.spec.concurrency,
        name: this.spec.dynoName,
        autorun: true,
      });
      worker.on("error", (error) => this.deps.onError(error, "bullmq worker"));
      this.workers.push(worker);
    }
  }

  /** BullMQ workers fetch on their own. */
  async fill(): Promise<boolean> {
    return false;
  }

  async quiet(): Promise<void> {
    this.quieted = true;
    await Promise.all(this.workers.map((worker) => worker.pause(true)));
    if (this.running.size === 0) await this.spec.events.idle();
  }

  busy(): number {
    return this.running.size;
  }

  async kill(): Promise<number> {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.controller.abort(new Error("killed at the end of the shutdown grace period"));
    await Promise.all(jobs.map((job) => job.settled));
    return jobs.length;
  }

  async exit(): Promise<void> {
    if (this.exited) return;
    this.exited = true;
    await Promise.all(this.workers.map((worker) => worker.close(true).catch((error) => this.deps.onError(error, "bullmq close"))));
    const connection = this.connection;
    this.connection = null;
    if (connection) await connection.quit().catch(() => connection.disconnect());
  }

  private async process(job: Job, token: string | undefined): Promise<void> {
    const parsed = jobDataSchema.safeParse(job.data);
    const durationSeconds = parsed.success ? parsed.data.duration : this.deps.defaultJobSeconds;
    const controller = new AbortController();
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const key = `${job.queueName}:${job.id ?? ""}`;
    this.running.set(key, { controller, settled });
    this.spec.events.jobStarted();
    let killed = false;
    try {
      await this.deps.clock.sleep(durationSeconds * 1000, controller.signal);
      this.spec.events.jobCompleted();
    } catch {
      killed = true;
      await job.moveToWait(token).catch((error) => this.deps.onError(error, "bullmq requeue killed job"));
    } finally {
      this.running.delete(key);
      settle();
      // Not awaited: the dyno's exit closes this very Worker, which must not wait on this job.
      if (this.quieted && this.running.size === 0) void this.spec.events.idle();
    }
    // Tells the Worker the job was moved by hand: neither completed nor failed.
    if (killed) throw new WaitingError();
  }
}
