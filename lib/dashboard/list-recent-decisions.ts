import { db } from "@/lib/db/client";
import type { ScaleOutcome } from "@/lib/db/generated/enums";

/** A scale event as the browser gets it (ids as strings: they are bigints). */
export interface DecisionLine {
  id: string;
  processType: string;
  occurredAt: string;
  fromQuantity: number;
  toQuantity: number;
  outcome: ScaleOutcome;
  reason: string;
  error: string | null;
}

export const decisionSelect = {
  id: true,
  processType: true,
  occurredAt: true,
  fromQuantity: true,
  toQuantity: true,
  outcome: true,
  reason: true,
  error: true,
} as const;

export function toDecisionLine(row: {
  id: bigint;
  processType: string;
  occurredAt: Date;
  fromQuantity: number;
  toQuantity: number;
  outcome: ScaleOutcome;
  reason: string;
  error: string | null;
}): DecisionLine {
  return { ...row, id: row.id.toString(), occurredAt: row.occurredAt.toISOString() };
}

/** The app's latest decisions, newest first. */
export async function listRecentDecisions(tenantId: string, take = 10): Promise<DecisionLine[]> {
  const rows = await db.scaleEvent.findMany({
    where: { tenantId },
    select: decisionSelect,
    orderBy: { id: "desc" },
    take,
  });
  return rows.map(toDecisionLine);
}
