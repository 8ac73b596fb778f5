import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { SimClock } from "../clock";
import { BullmqRunner } from "./bullmq-runner";
import type { EnqueueRequest, JobBackend, JobRunner, RunnerSpec } from "./job-backend";

export interface BullmqBackendOptions {
  redisUrl: string;
  /** BullMQ's key prefix (default "bull"): keys are `<prefix>:<queue>:wait` and so on. */
  prefix: string;
  clock: SimClock;
  /** Run time of a job whose data has no `duration`. */
  defaultJobSeconds: number;
  onError: (error: unknown, context: string) => void;
}

/**
 * An app whose workers run BullMQ. Producing and consuming go through BullMQ itself (Queue and
 * Worker), so the Redis layout is exactly BullMQ's; a job's data `{ "duration": 3.2 }` says
 * how many sim seconds it runs.
 */
export class BullmqBackend implements JobBackend {
  readonly kind = "bullmq";
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly options: BullmqBackendOptions) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on("error", (error) => options.onError(error, "bullmq redis"));
  }

  async enqueue(request: EnqueueRequest): Promise<string> {
    const job = await this.queue(request.queue).add(request.className ?? "simulated-job", {
      duration: request.durationSeconds,
    });
    return job.id ?? "";
  }

  depth(queue: string): Promise<number> {
    return this.queue(queue).getWaitingCount();
  }

  createRunner(spec: RunnerSpec): JobRunner {
    return new BullmqRunner(spec, {
      redisUrl: this.options.redisUrl,
      prefix: this.options.prefix,
      clock: this.options.clock,
      defaultJobSeconds: this.options.defaultJobSeconds,
      onError: this.options.onError,
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      queue.on("error", (error) => this.options.onError(error, "bullmq queue"));
      this.queues.set(name, queue);
    }
    return queue;
  }
}
