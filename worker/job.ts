import type { Job } from "bullmq";
import type { z } from "zod";
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

export function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition<Schema> {
  return definition;
}
