import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { CheckDispatcher } from "@/lib/checks/dispatcher";
import { RecordWriter } from "@/lib/checks/record-writer";
import { startMaintenance } from "@/lib/checks/maintenance";
import { reconcileSchedules } from "@/lib/checks/reconcile-schedules";
import { CHECKS_QUEUE, WORKER_PREFIX, WORKER_QUEUE } from "@/lib/jobs/queue-names";
import { log } from "@/lib/log";
import { publishMetrics } from "@/lib/metrics-publish";
import { closeProbeConnections } from "@/lib/queues/probe";
import { createRedis } from "@/lib/redis/connection";
import { setCheckRuntime } from "@/worker/check-runtime";
import { currentWorker } from "@/worker/identity";
import { checkJobs, repeatingJobs, type JobRegistry } from "@/worker/registry";

export interface StartedWorker {
  queue: Queue;
  checksQueue: Queue;
  /** Stops taking jobs, lets in-flight jobs finish, flushes records, closes connections. */
  close: () => Promise<void>;
}

export interface StartWorkerOptions {
  registry: JobRegistry;
  checkRegistry?: JobRegistry;
  concurrency?: number;
  /** Check batches run at once by this process. */
  checkConcurrency?: number;
}

/**
 * Starts a worker process's parts: the upkeep worker (Ebbflow's own jobs, repeating ones
 * scheduled once across all workers), the checks worker, the dispatcher that hands due checks
 * to BullMQ, the batched record writer and the metrics publisher.
 */
export async function startWorker({
  registry,
  checkRegistry = checkJobs,
  concurrency = 10,
  checkConcurrency = 8,
}: StartWorkerOptions): Promise<StartedWorker> {
  const connection = createRedis("worker");
  const commands = createRedis("worker");
  const writer = new RecordWriter();
  writer.start();
  setCheckRuntime({ redis: commands, writer });

  const queue = new Queue(WORKER_QUEUE, {
    connection,
    prefix: WORKER_PREFIX,
    defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
  });
  const checksQueue = new Queue(CHECKS_QUEUE, { connection, prefix: WORKER_PREFIX });
  const upkeep = workerFor(WORKER_QUEUE, registry, connection, concurrency);
  const checks = workerFor(CHECKS_QUEUE, checkRegistry, connection, checkConcurrency);

  const registerRepeatingJobs = async () => {
    for (const { name, everyMs } of repeatingJobs) {
      await queue.upsertJobScheduler(name, { every: everyMs }, { name, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
    }
    // A job dropped in a later release would otherwise keep firing, and failing, forever.
    const wanted = new Set(repeatingJobs.map((job) => job.name));
    for (const scheduler of await queue.getJobSchedulers()) {
      if (scheduler.key && !wanted.has(scheduler.key)) await queue.removeJobScheduler(scheduler.key);
    }
  };
  await registerRepeatingJobs();
  await Promise.all([upkeep.waitUntilReady(), checks.waitUntilReady()]);
  const reconciled = await reconcileSchedules(commands);
  const dispatcher = new CheckDispatcher(commands, checksQueue);
  dispatcher.start();
  const stopMaintenance = startMaintenance(commands, registerRepeatingJobs);
  const stopPublishing = publishMetrics(commands, currentWorker().id);
  log.info({ concurrency, checkConcurrency, jobs: Object.keys(registry), scheduledTenants: reconciled.total }, "worker started");

  return {
    queue,
    checksQueue,
    close: async () => {
      stopMaintenance();
      await dispatcher.stop();
      await Promise.all([upkeep.close(), checks.close()]);
      await writer.stop();
      await stopPublishing();
      setCheckRuntime(null);
      await Promise.all([queue.close(), checksQueue.close()]);
      await closeProbeConnections();
      await Promise.all([connection.quit(), commands.quit()]);
    },
  };
}

function workerFor(name: string, registry: JobRegistry, connection: ReturnType<typeof createRedis>, concurrency: number): Worker {
  const worker = new Worker(name, (job: Job) => runJob(registry, job), { connection, prefix: WORKER_PREFIX, concurrency });
  worker.on("failed", (job, error) => {
    log.warn({ queue: name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, "job failed");
  });
  worker.on("error", (error) => log.error({ queue: name, err: error }, "worker error"));
  return worker;
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
