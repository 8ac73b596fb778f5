import { Queue, type JobsOptions } from "bullmq";
import { createRedis } from "@/lib/redis/connection";
import { jobPayloads, type JobName, type JobPayload } from "@/lib/jobs/payloads";
import { WORKER_PREFIX, WORKER_QUEUE } from "@/lib/jobs/queue-names";

const globalForQueue = globalThis as unknown as { ebbflowQueue?: Queue };

function queue(): Queue {
  globalForQueue.ebbflowQueue ??= new Queue(WORKER_QUEUE, {
    connection: createRedis("web"),
    prefix: WORKER_PREFIX,
    defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
  });
  return globalForQueue.ebbflowQueue;
}

/** Validates the payload against the job's schema and adds the job to Ebbflow's queue. */
export async function enqueue<Name extends JobName>(
  name: Name,
  payload: JobPayload<Name>,
  options: JobsOptions = {},
): Promise<void> {
  const data = jobPayloads[name].parse(payload);
  await queue().add(name, data, options);
}

export async function closeQueue(): Promise<void> {
  const current = globalForQueue.ebbflowQueue;
  globalForQueue.ebbflowQueue = undefined;
  await current?.close();
}
