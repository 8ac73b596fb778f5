import { z } from "zod";
import { computeSavings, type ProcessTypeHistory, type Savings } from "@/lib/billing/compute-savings";
import { DEFAULT_DYNO_SIZE } from "@/lib/billing/dyno-prices";
import { db } from "@/lib/db/client";

/** Outcomes after which the formation really had the event's quantity. */
const formationOutcomes = ["applied", "manual"] as const;

/** The dyno size a process type runs, when its rule's settings name one (`dynoSize`). */
const sizeSettingsSchema = z.object({ dynoSize: z.string().min(1) });

/** The first instant of the UTC month that contains `at`. */
export function monthStartUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The first instant of the UTC month after the one that starts at `monthStart`. */
export function nextMonthStartUtc(monthStart: Date): Date {
  return new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 1));
}

/**
 * Dyno-hours and dollars an app's formation used in one UTC month, against running each
 * process type at its maximum, from the formation history Ebbflow recorded. The window starts
 * at the month's start (or when the app came to Ebbflow) and ends at the month's end or `now`,
 * whichever is first. Each process type starts at the quantity of its last change before the
 * window, else the first change's `fromQuantity`, else its minimum (nothing changed it).
 */
export async function getMonthlySavings(tenantId: string, monthStart: Date, now: Date = new Date()): Promise<Savings> {
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: {
      createdAt: true,
      processRules: { select: { processType: true, minDynos: true, maxDynos: true, settings: true } },
    },
  });
  const fromMs = Math.max(monthStart.getTime(), tenant.createdAt.getTime());
  const toMs = Math.max(fromMs, Math.min(nextMonthStartUtc(monthStart).getTime(), now.getTime()));

  const inWindow = await db.scaleEvent.findMany({
    where: { tenantId, outcome: { in: [...formationOutcomes] }, occurredAt: { gte: new Date(fromMs), lt: new Date(toMs) } },
    select: { processType: true, occurredAt: true, fromQuantity: true, toQuantity: true },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
  });
  const processTypes = new Set([...tenant.processRules.map((rule) => rule.processType), ...inWindow.map((e) => e.processType)]);

  const histories: ProcessTypeHistory[] = [];
  for (const processType of [...processTypes].sort()) {
    const rule = tenant.processRules.find((candidate) => candidate.processType === processType);
    const before = await db.scaleEvent.findFirst({
      where: { tenantId, processType, outcome: { in: [...formationOutcomes] }, occurredAt: { lt: new Date(fromMs) } },
      select: { toQuantity: true },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    });
    const events = inWindow.filter((event) => event.processType === processType);
    const startQuantity = before?.toQuantity ?? events[0]?.fromQuantity ?? rule?.minDynos ?? 0;
    const changes = events.map((event) => ({ atMs: event.occurredAt.getTime(), quantity: event.toQuantity }));
    const highestSeen = Math.max(startQuantity, ...changes.map((change) => change.quantity));
    const size = sizeSettingsSchema.safeParse(rule?.settings);
    histories.push({
      processType,
      dynoSize: size.success ? size.data.dynoSize : DEFAULT_DYNO_SIZE,
      startQuantity,
      maxQuantity: Math.max(rule?.maxDynos ?? 0, highestSeen),
      changes,
    });
  }
  return computeSavings(fromMs, toMs, histories);
}
