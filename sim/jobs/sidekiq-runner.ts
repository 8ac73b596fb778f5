import type { Redis } from "ioredis";
import type { SimClock, SimTimer } from "../clock";
import { randomHex } from "../ids";
import type { JobRunner, RunnerSpec } from "./job-backend";
import {
  sidekiqJobDurationSeconds,
  sidekiqJobSchema,
  sidekiqKey,
  sidekiqProcessInfo,
  sidekiqStatDate,
  sidekiqWorkEntry,
  type SidekiqVersion,
} from "./sidekiq-layout";

export interface SidekiqRunnerDeps {
  redis: Redis;
  namespace: string | undefined;
  version: SidekiqVersion;
  clock: SimClock;
  heartbeatSeconds: number;
  defaultJobSeconds: number;
  onError: (error: unknown, context: string) => void;
}

interface RunningJob {
  queue: string;
  /** The job JSON exactly as fetched, so a killed job goes back unchanged. */
  payload: string;
  startedAtMs: number;
  timer: SimTimer;
}

/** Sidekiq keeps process records and work entries for 60 s after the last beat. */
const heartbeatTtlSeconds = 60;
/** Sidekiq keeps per-day stats for five years. */
const statTtlSeconds = 5 * 365 * 24 * 60 * 60;

/**
 * One dyno's Sidekiq process: fetches with right pops in queue order (strict ordering, as
 * Sidekiq does when no weights are given), runs each job for its duration on the sim clock,
 * beats like Sidekiq's launcher, and on kill pushes unfinished jobs back to the right end of
 * their queues, as Sidekiq's BasicFetch#bulk_requeue does, so they run next.
 */
export class SidekiqRunner implements JobRunner {
  private readonly identity: string;
  private readonly pid: number;
  private readonly running = new Map<string, RunningJob>();
  private quieted = false;
  private exited = false;
  private startedAtMs = 0;
  private heartbeat: SimTimer | null = null;
  private processedSinceBeat = 0;
  private failedSinceBeat = 0;
  private fillChain: Promise<boolean> = Promise.resolve(false);

  constructor(
    private readonly spec: RunnerSpec,
    private readonly deps: SidekiqRunnerDeps,
  ) {
    // Dyno processes get small pids; Sidekiq's nonce is 6 random bytes as hex.
    this.pid = 4 + Math.floor(Math.random() * 28);
    this.identity = `${spec.dynoName}:${this.pid}:${randomHex(6)}`;
  }

  async start(): Promise<void> {
    this.startedAtMs = this.deps.clock.now();
    await this.beat();
    this.scheduleBeat();
    await this.fill();
  }

  /** Serialised, so a poll tick and a job completion never overfill the dyno. */
  fill(): Promise<boolean> {
    const next = this.fillChain.then(() => this.fillOnce());
    this.fillChain = next.catch(() => false);
    return next;
  }

  async quiet(): Promise<void> {
    this.quieted = true;
    await this.beat();
    if (this.running.size === 0) await this.spec.events.idle();
  }

  /** TSTP: stop fetching, finish what runs; the dyno stays up (only TERM stops it). */
  private quietFromSignal(): void {
    this.quieted = true;
  }

  busy(): number {
    return this.running.size;
  }

  async kill(): Promise<number> {
    const jobs = [...this.running.values()];
    this.running.clear();
    for (const job of jobs) job.timer.cancel();
    if (jobs.length > 0) {
      const pipeline = this.deps.redis.pipeline();
      for (const job of jobs) pipeline.rpush(this.key(`queue:${job.queue}`), job.payload);
      await pipeline.exec();
    }
    return jobs.length;
  }

  async exit(): Promise<void> {
    if (this.exited) return;
    this.exited = true;
    this.heartbeat?.cancel();
    try {
      // As Sidekiq's clear_heartbeat: flush stats, leave the `processes` set, drop the work
      // hash; the process hash itself is left to expire with its TTL.
      const multi = this.deps.redis.multi();
      this.addStats(multi);
      await multi
        .srem(this.key("processes"), this.identity)
        .unlink(this.key(`${this.identity}:work`))
        .exec();
    } catch (error) {
      this.deps.onError(error, "sidekiq clear heartbeat");
    }
  }

  private async fillOnce(): Promise<boolean> {
    while (!this.quieted && !this.exited && this.running.size < this.spec.concurrency) {
      const fetched = await this.fetch();
      if (!fetched) return true;
      if (this.quieted || this.exited) {
        // TERM arrived while the pop was in flight: hand the job back, as Sidekiq does.
        await this.deps.redis.rpush(this.key(`queue:${fetched.queue}`), fetched.payload);
        return false;
      }
      this.begin(fetched.queue, fetched.payload);
    }
    return false;
  }

  private async fetch(): Promise<{ queue: string; payload: string } | null> {
    for (const queue of this.spec.queues) {
      const payload = await this.deps.redis.rpop(this.key(`queue:${queue}`));
      if (payload !== null) return { queue, payload };
    }
    return null;
  }

  private begin(queue: string, payload: string): void {
    const durationSeconds = this.durationOf(payload);
    if (durationSeconds === null) {
      // A payload Sidekiq could not load fails at once (it would go to the retry set).
      this.failedSinceBeat += 1;
      this.spec.events.jobFailed();
      return;
    }
    const tid = randomTid();
    const timer = this.deps.clock.setTimer(durationSeconds * 1000, () => this.finish(tid));
    this.running.set(tid, { queue, payload, startedAtMs: this.deps.clock.now(), timer });
    this.spec.events.jobStarted();
  }

  private durationOf(payload: string): number | null {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      return null;
    }
    const job = sidekiqJobSchema.safeParse(json);
    if (!job.success) return null;
    return sidekiqJobDurationSeconds(job.data) ?? this.deps.defaultJobSeconds;
  }

  private async finish(tid: string): Promise<void> {
    if (!this.running.delete(tid)) return;
    this.processedSinceBeat += 1;
    this.spec.events.jobCompleted();
    if (this.quieted) {
      if (this.running.size === 0) await this.spec.events.idle();
      return;
    }
    await this.fill();
  }

  private scheduleBeat(): void {
    this.heartbeat = this.deps.clock.setTimer(this.deps.heartbeatSeconds * 1000, async () => {
      if (this.exited) return;
      await this.beat();
      this.scheduleBeat();
    });
  }

  /** Sidekiq's launcher heartbeat (the ❤ method), in one MULTI. */
  private async beat(): Promise<void> {
    if (this.exited) return;
    const now = this.deps.clock.now();
    const workKey = this.key(`${this.identity}:work`);
    const processKey = this.key(this.identity);
    const info = sidekiqProcessInfo({
      hostname: this.spec.dynoName,
      pid: this.pid,
      identity: this.identity,
      concurrency: this.spec.concurrency,
      queues: this.spec.queues,
      startedAtMs: this.startedAtMs,
      version: this.deps.version,
    });
    const work: Record<string, string> = {};
    for (const [tid, job] of this.running) work[tid] = sidekiqWorkEntry(job.queue, job.payload, job.startedAtMs);
    try {
      const signalsKey = this.key(`${this.identity}-signals`);
      const multi = this.deps.redis.multi().unlink(workKey);
      if (this.running.size > 0) multi.hset(workKey, work).expire(workKey, heartbeatTtlSeconds);
      this.addStats(multi);
      const replies = await multi
        .sadd(this.key("processes"), this.identity)
        .hset(processKey, {
          info: JSON.stringify(info),
          busy: String(this.running.size),
          beat: String(now / 1000),
          rtt_us: "350",
          quiet: String(this.quieted),
          rss: "180224",
        })
        .expire(processKey, heartbeatTtlSeconds)
        .rpop(signalsKey)
        .exec();
      // As Sidekiq's launcher: each beat pops one remote signal (`Process#quiet!` pushes TSTP
      // onto `<identity>-signals`) and acts on it; the hash says quiet from the next beat on.
      const signal = replies?.[replies.length - 1]?.[1];
      if (signal === "TSTP") this.quietFromSignal();
    } catch (error) {
      // Sidekiq ignores heartbeat failures and tries again on the next beat.
      this.deps.onError(error, "sidekiq heartbeat");
    }
  }

  private addStats(multi: ReturnType<Redis["multi"]>): void {
    const date = sidekiqStatDate(this.deps.clock.now());
    const processed = this.processedSinceBeat;
    const failed = this.failedSinceBeat;
    this.processedSinceBeat = 0;
    this.failedSinceBeat = 0;
    if (processed > 0) {
      multi.incrby(this.key("stat:processed"), processed);
      multi.incrby(this.key(`stat:processed:${date}`), processed);
      multi.expire(this.key(`stat:processed:${date}`), statTtlSeconds);
    }
    if (failed > 0) {
      multi.incrby(this.key("stat:failed"), failed);
      multi.incrby(this.key(`stat:failed:${date}`), failed);
      multi.expire(this.key(`stat:failed:${date}`), statTtlSeconds);
    }
  }

  private key(key: string): string {
    return sidekiqKey(this.deps.namespace, key);
  }
}

/** Sidekiq names its processor threads with a short base-36 id. */
function randomTid(): string {
  return Math.floor(Math.random() * 36 ** 8).toString(36);
}
