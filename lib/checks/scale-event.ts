import type { Prisma } from "@/lib/db/generated/client";
import type { ScaleOutcome } from "@/lib/db/generated/enums";

/** One row of `ScaleEvent`, as a check leaves it for the batch to insert. */
export interface ScaleEventRow {
  tenantId: string;
  processType: string;
  occurredAt: Date;
  fromQuantity: number;
  toQuantity: number;
  reason: string;
  metrics: Prisma.InputJsonValue;
  outcome: ScaleOutcome;
  apiLatencyMs: number | null;
  error: string | null;
}

/** What a step says about an event; the tenant and the time come from the check. */
export interface ScaleEventInput {
  processType: string;
  fromQuantity: number;
  toQuantity: number;
  reason: string;
  outcome: ScaleOutcome;
  metrics?: Prisma.InputJsonValue;
  apiLatencyMs?: number | null;
  error?: string | null;
}

/** A scale event of this check's tenant at this check's time, optional fields filled in. */
export function scaleEvent(tenantId: string, occurredAt: Date, input: ScaleEventInput): ScaleEventRow {
  return {
    tenantId,
    occurredAt,
    processType: input.processType,
    fromQuantity: input.fromQuantity,
    toQuantity: input.toQuantity,
    reason: input.reason,
    metrics: input.metrics ?? {},
    outcome: input.outcome,
    apiLatencyMs: input.apiLatencyMs ?? null,
    error: input.error ?? null,
  };
}
