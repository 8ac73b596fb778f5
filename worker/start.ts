import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { createRedis } from "@/lib/redis/connection";
import { log } from "@/lib/log";
import { WORKER_PREFIX, WORKER_QUEUE } from "@/lib/jobs/queue-names";
import { repeatingJobs, type JobRegistry } from "@/worker/registry";

export interface StartedWorker {
  worker: Worker;
  queue: Queue;
  /** Stops taking jobs, lets in-flight jobs finish, closes connections. */
  close: () => Promise<void>;
}

export interface StartWorkerOptions {
  registry: JobRegistry;
  concurrency?: number;
}

/** Starts a BullMQ worker for the registry's jobs and schedules the repeating ones. */
export async function startWorker({ registry, concurrency = 10 }: StartWorkerOptions): Promise<StartedWorker> {
  const connection = createRedis("worker");
  const queue = new Queue(WORKER_QUEUE, {
    connection,
    prefix: WORKER_PREFIX,
    defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
  });

  const worker = new Worker(WORKER_QUEUE, (job: Job) => runJob(registry, job), {
    connection,
    prefix: WORKER_PREFIX,
    concurrency,
  });
  worker.on("failed", (job, error) => {
    log.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, "job failed");
  });
  worker.on("error", (error) => log.error({ err: error }, "worker error"));

  for (const { name, everyMs } of repeatingJobs) {
    await queue.upsertJobScheduler(
      name,
      { every: everyMs },
      { name, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
  await worker.waitUntilReady();
  log.info({ concurrency, jobs: Object.keys(registry) }, "worker started");

  return {
    worker,
    queue,
    close: async () => {
      await worker.close();
      await queue.close();
      await connection.quit();
    },
  };
}

async function runJob(registry: JobRegistry, job: Job): Promise<unknown> {
  const definition = registry[job.name];
  if (!definition) throw new UnrecoverableError(`No job named "${job.name}" is registered`);
  const parsed = definition.payload.safeParse(job.data);
  if (!parsed.success) {
    // Retrying cannot fix a payload that does not match its schema.
    throw new UnrecoverableError(`Invalid payload for ${job.name}: ${parsed.error.message}`);
  }
  const jobLog = log.child({ job: job.name, jobId: job.id });
  return definition.handle(parsed.data, { job, log: jobLog });
}
