import type { Job } from "bullmq";
import type { z } from "zod";
import { jobPayloads, type JobName } from "@/lib/jobs/payloads";
import type { Logger } from "@/lib/log";

export interface JobContext {
  job: Job;
  log: Logger;
}

/**
 * A job is a name, a schema for its payload and a handler. Payloads carry ids, never secrets;
 * a handler must be safe to run twice or to stop halfway, because BullMQ retries.
 */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  payload: Schema;
  handle: (payload: z.infer<Schema>, context: JobContext) => Promise<unknown>;
}

/** Defines a job whose payload schema is the shared one in lib/jobs/payloads.ts. */
export function defineJob<Name extends JobName>(
  name: Name,
  handle: JobDefinition<(typeof jobPayloads)[Name]>["handle"],
): JobDefinition<(typeof jobPayloads)[Name]> {
  return { name, payload: jobPayloads[name], handle };
}
