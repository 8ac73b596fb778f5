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
  "check-members": z.object({}).strict(),
  "roll-up-samples": z.object({}).strict(),
  "billing-suspend-overdue": z.object({}).strict(),
  "keep-webhooks": z.object({}).strict(),
  /** Subscribe one add-on tenant to its add-on's webhooks (lib/heroku-webhooks). */
  "subscribe-webhooks": z.object({ tenantId: z.uuid() }).strict(),
  /** A batch of due checks handed out by a dispatcher (lib/checks/dispatcher.ts). */
  "check-batch": z
    .object({ checks: z.array(z.object({ tenantId: z.uuid(), dueAtMs: z.number().int().positive() })).min(1).max(200) })
    .strict(),
  /** Tell a tenant's people about a failed scale or hitting max (lib/notifications). */
  notify: z
    .object({
      tenantId: z.uuid(),
      kind: z.enum(["failure", "max"]),
      processType: z.string().nullable(),
      message: z.string().max(2000),
      occurredAtMs: z.number().int().positive(),
    })
    .strict(),
  /** A check right now, for a push report that asks for more dynos. */
  "check-now": z.object({ tenantId: z.uuid(), requestedAtMs: z.number().int().positive() }).strict(),
} as const;

export type JobName = keyof typeof jobPayloads;
export type JobPayload<Name extends JobName> = z.infer<(typeof jobPayloads)[Name]>;
