import type { Redis } from "ioredis";
import { plans, isPlanName } from "@/lib/billing/plans";
import { db } from "@/lib/db/client";
import { scheduledIntervals, scheduleTenant, unscheduleTenant } from "@/lib/checks/due-set";

export interface ReconcileResult {
  added: number;
  removed: number;
  rescheduled: number;
  total: number;
}

/** A tenant is checked while it is active and not paused, at its plan's interval. */
function intervalMsFor(plan: string): number {
  return (isPlanName(plan) ? plans[plan] : plans.hobby).checkIntervalSeconds * 1000;
}

/**
 * Makes Redis's schedule match Postgres: every checkable tenant scheduled at its plan's
 * interval, nothing else. Runs at worker start and every minute, so a flushed Redis heals.
 */
export async function reconcileSchedules(redis: Redis, nowMs: number = Date.now()): Promise<ReconcileResult> {
  const desired = new Map<string, number>();
  let cursor: string | undefined;
  for (;;) {
    const page = await db.tenant.findMany({
      where: { state: "active", paused: false },
      select: { id: true, plan: true },
      orderBy: { id: "asc" },
      take: 5000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const tenant of page) desired.set(tenant.id, intervalMsFor(tenant.plan));
    if (page.length < 5000) break;
    cursor = page[page.length - 1]?.id;
  }

  const current = await scheduledIntervals(redis);
  const result: ReconcileResult = { added: 0, removed: 0, rescheduled: 0, total: desired.size };
  for (const [tenantId, intervalMs] of desired) {
    const existing = current.get(tenantId);
    if (existing === intervalMs) continue;
    // Spread newly found tenants over one interval so a healed Redis does not fire them all at once.
    const firstDueMs = existing === undefined ? nowMs + Math.floor(Math.random() * intervalMs) : nowMs;
    await scheduleTenant(redis, tenantId, intervalMs, firstDueMs);
    if (existing === undefined) result.added += 1;
    else result.rescheduled += 1;
  }
  for (const tenantId of current.keys()) {
    if (!desired.has(tenantId)) {
      await unscheduleTenant(redis, tenantId);
      result.removed += 1;
    }
  }
  return result;
}

/** Brings one tenant's schedule in line after its plan, state or pause changed. */
export async function syncTenantSchedule(redis: Redis, tenantId: string, nowMs: number = Date.now()): Promise<void> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { plan: true, state: true, paused: true } });
  if (!tenant || tenant.state !== "active" || tenant.paused) {
    await unscheduleTenant(redis, tenantId);
    return;
  }
  await scheduleTenant(redis, tenantId, intervalMsFor(tenant.plan), nowMs);
}
