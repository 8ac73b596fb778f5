import { z } from "zod";
import { db } from "@/lib/db/client";
import { ScaleOutcome } from "@/lib/db/generated/enums";
import { decisionSelect, toDecisionLine, type DecisionLine } from "@/lib/dashboard/list-recent-decisions";

const MAX_INT64 = 2n ** 63n - 1n;

const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);

/** The events page's query string: filters and the cursor (the last id of the page before). */
export const eventsQuerySchema = z.object({
  processType: z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional()),
  outcome: z.preprocess(blankToUndefined, z.enum([...Object.values(ScaleOutcome), "problems"]).optional()),
  // The cursor is a bigint id: past Postgres's int64 it could only make the query fail.
  before: z.preprocess(
    blankToUndefined,
    z.string().refine((value) => /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_INT64, "must be an event id").optional(),
  ),
});

export type EventsQuery = z.infer<typeof eventsQuerySchema>;

export const EVENTS_PAGE_SIZE = 50;

/** Outcomes that mean a wanted change did not happen. */
export const problemOutcomes: ScaleOutcome[] = ["failed", "not_authorized"];

/**
 * One page of an app's scale events, newest first, paged by id (stable while new events
 * arrive, unlike an offset). `nextBefore` is the cursor of the next page, null on the last.
 */
export async function listScaleEvents(tenantId: string, query: EventsQuery, pageSize = EVENTS_PAGE_SIZE): Promise<{ events: DecisionLine[]; nextBefore: string | null }> {
  const outcome = query.outcome === "problems" ? { in: problemOutcomes } : query.outcome;
  const rows = await db.scaleEvent.findMany({
    where: {
      tenantId,
      ...(query.processType ? { processType: query.processType } : {}),
      ...(outcome ? { outcome } : {}),
      ...(query.before ? { id: { lt: BigInt(query.before) } } : {}),
    },
    select: decisionSelect,
    orderBy: { id: "desc" },
    take: pageSize + 1,
  });
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  return { events: page.map(toDecisionLine), nextBefore: rows.length > pageSize && last ? last.id.toString() : null };
}

/** The process types an app has events for, for the filter. */
export async function listEventProcessTypes(tenantId: string): Promise<string[]> {
  const rows = await db.scaleEvent.findMany({ where: { tenantId }, select: { processType: true }, distinct: ["processType"], take: 100 });
  return rows.map((r) => r.processType).sort();
}
