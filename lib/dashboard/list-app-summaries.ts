import { planOrHobby } from "@/lib/billing/plans";
import { db } from "@/lib/db/client";
import { appStatus, type AppStatus } from "@/lib/dashboard/app-status";

export interface AppSummary {
  id: string;
  appName: string;
  plan: string;
  planTitle: string;
  channel: "heroku" | "direct";
  status: AppStatus;
  /** Dynos now per process type: the latest sample's formation, else the latest change. */
  dynos: { processType: string; quantity: number | null }[];
  /** Total dynos over the last 24 h, 49 evenly spaced points, oldest first. */
  sparkline: number[];
}

export const SPARKLINE_HOURS = 24;
const SPARKLINE_POINTS = 49;

interface CurrentDynosRow {
  tenant_id: string;
  process_type: string;
  quantity: number | null;
}

/** The newest known quantity per process type: one index probe per process type, not a scan. */
async function currentDynos(tenantIds: string[]): Promise<CurrentDynosRow[]> {
  if (tenantIds.length === 0) return [];
  return db.$queryRaw<CurrentDynosRow[]>`
    SELECT p.tenant_id::text AS tenant_id, p.process_type, COALESCE(s.dynos, e.to_quantity) AS quantity
      FROM (SELECT tenant_id, process_type FROM process_rules WHERE tenant_id = ANY(${tenantIds}::uuid[])
            UNION
            SELECT tenant_id, process_type FROM queue_sources WHERE tenant_id = ANY(${tenantIds}::uuid[])) AS p
      LEFT JOIN LATERAL (
        SELECT m.dynos FROM metric_samples m
         WHERE m.tenant_id = p.tenant_id AND m.process_type = p.process_type AND m.resolution = 'raw' AND m.dynos IS NOT NULL
         ORDER BY m.sampled_at DESC LIMIT 1) AS s ON true
      LEFT JOIN LATERAL (
        SELECT x.to_quantity FROM scale_events x
         WHERE x.tenant_id = p.tenant_id AND x.process_type = p.process_type AND x.outcome IN ('applied', 'manual')
         ORDER BY x.occurred_at DESC LIMIT 1) AS e ON true
     ORDER BY 1, 2`;
}

/**
 * Total dynos over time from the formation changes of the last 24 h (few rows, unlike samples):
 * each process type starts at its first change's from-quantity, or at today's quantity when it
 * did not change.
 */
export function sparklineFrom(
  changes: readonly { processType: string; atMs: number; fromQuantity: number; toQuantity: number }[],
  current: ReadonlyMap<string, number>,
  fromMs: number,
  toMs: number,
  points = SPARKLINE_POINTS,
): number[] {
  const types = new Set([...current.keys(), ...changes.map((c) => c.processType)]);
  const stepMs = (toMs - fromMs) / (points - 1);
  const line = new Array<number>(points).fill(0);
  for (const type of types) {
    const own = changes.filter((c) => c.processType === type).sort((a, b) => a.atMs - b.atMs);
    let quantity = own[0]?.fromQuantity ?? current.get(type) ?? 0;
    let next = 0;
    for (let i = 0; i < points; i += 1) {
      const at = fromMs + i * stepMs;
      for (let change = own[next]; change && change.atMs <= at; change = own[next]) {
        quantity = change.toQuantity;
        next += 1;
      }
      line[i] = (line[i] ?? 0) + quantity;
    }
  }
  return line;
}

/** Every app the user is a member of, with status, dynos now and a 24 h sparkline. */
export async function listAppSummaries(userId: string, now: Date = new Date()): Promise<AppSummary[]> {
  const tenants = await db.tenant.findMany({
    where: { state: { not: "deprovisioned" }, memberships: { some: { userId } } },
    select: {
      id: true,
      appName: true,
      plan: true,
      channel: true,
      state: true,
      paused: true,
      dryRun: true,
      lastError: true,
      lastCheckAt: true,
      lastGoodCheckAt: true,
      tokens: { where: { kind: "scaling", revokedAt: null }, select: { id: true } },
      _count: { select: { processRules: true } },
    },
    orderBy: { createdAt: "desc" },
  });
  const ids = tenants.map((t) => t.id);
  const fromMs = now.getTime() - SPARKLINE_HOURS * 3600_000;
  const [dynoRows, changes] = await Promise.all([
    currentDynos(ids),
    ids.length === 0
      ? Promise.resolve([])
      : db.scaleEvent.findMany({
          where: { tenantId: { in: ids }, outcome: { in: ["applied", "manual"] }, occurredAt: { gte: new Date(fromMs) } },
          select: { tenantId: true, processType: true, occurredAt: true, fromQuantity: true, toQuantity: true },
          orderBy: { occurredAt: "asc" },
          take: 10_000,
        }),
  ]);
  return tenants.map((tenant) => {
    const plan = planOrHobby(tenant.plan);
    const dynos = dynoRows.filter((r) => r.tenant_id === tenant.id).map((r) => ({ processType: r.process_type, quantity: r.quantity }));
    const current = new Map(dynos.map((d) => [d.processType, d.quantity ?? 0]));
    const own = changes
      .filter((c) => c.tenantId === tenant.id)
      .map((c) => ({ processType: c.processType, atMs: c.occurredAt.getTime(), fromQuantity: c.fromQuantity, toQuantity: c.toQuantity }));
    return {
      id: tenant.id,
      appName: tenant.appName,
      plan: tenant.plan,
      planTitle: plan.title,
      channel: tenant.channel,
      status: appStatus({
        state: tenant.state,
        paused: tenant.paused,
        dryRun: tenant.dryRun,
        authorized: tenant.tokens.length > 0,
        lastError: tenant.lastError,
        lastCheckAt: tenant.lastCheckAt,
        lastGoodCheckAt: tenant.lastGoodCheckAt,
        ruleCount: tenant._count.processRules,
        checkIntervalSeconds: plan.checkIntervalSeconds,
        now,
      }),
      dynos,
      sparkline: sparklineFrom(own, current, fromMs, now.getTime()),
    };
  });
}
