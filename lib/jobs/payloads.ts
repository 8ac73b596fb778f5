import { z } from "zod";

/**
 * Every job's name and payload schema, shared by the code that enqueues (web, worker) and the
 * worker that runs it. Payloads carry ids, never secrets.
 */
export const jobPayloads = {
  heartbeat: z.object({}).strict(),
  "exchange-grant": z.object({ tenantId: z.uuid() }).strict(),
  "refresh-tokens": z.object({}).strict(),
  "purge-tenants": z.object({}).strict(),
} as const;

export type JobName = keyof typeof jobPayloads;
export type JobPayload<Name extends JobName> = z.infer<(typeof jobPayloads)[Name]>;
