import { Redis } from "ioredis";
import type { SimClock } from "../clock";
import type { EnqueueRequest, JobBackend, JobRunner, RunnerSpec } from "./job-backend";
import { buildSidekiqJob, sidekiqKey, type SidekiqVersion } from "./sidekiq-layout";
import { SidekiqRunner } from "./sidekiq-runner";

export interface SidekiqBackendOptions {
  redisUrl: string;
  /** redis-namespace prefix; keys become `<namespace>:queue:default` etc. */
  namespace?: string;
  /** Which Sidekiq's timestamp format to write (7: float seconds, 8: integer ms). */
  version: SidekiqVersion;
  clock: SimClock;
  /** Sidekiq beats every 10 s; the busy counts other tools read are that stale. */
  heartbeatSeconds: number;
  /** Run time of a job whose payload has no `args[0].duration`. */
  defaultJobSeconds: number;
  onError: (error: unknown, context: string) => void;
}

/** An app whose workers run Sidekiq against a Redis the app owns. */
export class SidekiqBackend implements JobBackend {
  readonly kind = "sidekiq";
  private readonly redis: Redis;

  constructor(private readonly options: SidekiqBackendOptions) {
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.redis.on("error", (error) => options.onError(error, "sidekiq redis"));
  }

  /** As `Sidekiq::Client#push`: register the queue, then LPUSH the job JSON. */
  async enqueue(request: EnqueueRequest): Promise<string> {
    const job = buildSidekiqJob({
      queue: request.queue,
      className: request.className ?? "SimulatedJob",
      args: [{ duration: request.durationSeconds }],
      nowMs: this.options.clock.now(),
      version: this.options.version,
    });
    await this.redis
      .multi()
      .sadd(this.key("queues"), request.queue)
      .lpush(this.key(`queue:${request.queue}`), JSON.stringify(job))
      .exec();
    return job.jid;
  }

  depth(queue: string): Promise<number> {
    return this.redis.llen(this.key(`queue:${queue}`));
  }

  createRunner(spec: RunnerSpec): JobRunner {
    return new SidekiqRunner(spec, {
      redis: this.redis,
      namespace: this.options.namespace,
      version: this.options.version,
      clock: this.options.clock,
      heartbeatSeconds: this.options.heartbeatSeconds,
      defaultJobSeconds: this.options.defaultJobSeconds,
      onError: this.options.onError,
    });
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(key: string): string {
    return sidekiqKey(this.options.namespace, key);
  }
}
