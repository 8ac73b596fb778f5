import { z } from "zod";
import { plans, isPlanName } from "@/lib/billing/plans";
import { unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { queueSourceSchema, type QueueSource } from "@/lib/queues/schema";
import { processRuleSchema, type ProcessRule, type ScalingRules } from "@/lib/scaling/rules";
import { log } from "@/lib/log";

/** Where one process type's numbers come from, ready to use. */
export type ResolvedSource = { mode: "probe"; source: QueueSource; key: string } | { mode: "push" };

/** Everything a check needs to know about a tenant, read from Postgres in one go. */
export interface CheckContext {
  tenantId: string;
  /** The app's id on Heroku (or its name until the add-on's grant exchange told us the id). */
  appRef: string;
  plan: string;
  checkIntervalSeconds: number;
  paused: boolean;
  dryRun: boolean;
  rules: ScalingRules;
  sources: Map<string, ResolvedSource>;
  /** Rules that could not be read, by process type, with why; those process types hold. */
  invalidRules: Map<string, string>;
  /** The Heroku account whose rate limit the scaling token spends, or null without one. */
  scalingAccount: string | null;
}

const settingsSchema = z.record(z.string(), z.unknown());

/**
 * Reads the check contexts of a batch of tenants in one query. A tenant that is not active
 * (or is gone) maps to null: the schedule will drop it at the next reconciliation.
 */
export async function loadCheckContexts(tenantIds: string[]): Promise<Map<string, CheckContext | null>> {
  const tenants = await db.tenant.findMany({
    where: { id: { in: tenantIds }, state: "active" },
    select: {
      id: true,
      herokuAppId: true,
      appName: true,
      plan: true,
      paused: true,
      dryRun: true,
      processRules: { where: { enabled: true }, select: { processType: true, minDynos: true, maxDynos: true, settings: true } },
      queueSources: { select: { processType: true, mode: true, configSealed: true } },
      tokens: { where: { kind: "scaling", revokedAt: null }, select: { herokuUserId: true } },
    },
  });
  const contexts = new Map<string, CheckContext | null>(tenantIds.map((id) => [id, null]));
  for (const tenant of tenants) {
    const plan = isPlanName(tenant.plan) ? plans[tenant.plan] : plans.hobby;
    const invalidRules = new Map<string, string>();
    const processTypes: ProcessRule[] = [];
    for (const row of tenant.processRules) {
      const settings = settingsSchema.safeParse(row.settings);
      const parsed = processRuleSchema.safeParse({
        ...(settings.success ? settings.data : {}),
        processType: row.processType,
        minQuantity: row.minDynos,
        maxQuantity: row.maxDynos,
      });
      if (parsed.success) processTypes.push(parsed.data);
      else invalidRules.set(row.processType, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    }
    const sources = new Map<string, ResolvedSource>();
    for (const row of tenant.queueSources) {
      if (row.mode === "push") {
        sources.set(row.processType, { mode: "push" });
        continue;
      }
      if (!row.configSealed) continue;
      try {
        const config = unseal(row.configSealed);
        sources.set(row.processType, { mode: "probe", source: queueSourceSchema.parse(JSON.parse(config)), key: config });
      } catch (error) {
        log.warn({ tenantId: tenant.id, processType: row.processType, err: error }, "queue source could not be read");
      }
    }
    const token = tenant.tokens[0];
    contexts.set(tenant.id, {
      tenantId: tenant.id,
      appRef: tenant.herokuAppId ?? tenant.appName,
      plan: plan.name,
      checkIntervalSeconds: plan.checkIntervalSeconds,
      paused: tenant.paused,
      dryRun: tenant.dryRun,
      rules: { checkIntervalSeconds: plan.checkIntervalSeconds, processTypes },
      sources,
      invalidRules,
      scalingAccount: token ? (token.herokuUserId ?? `tenant:${tenant.id}`) : null,
    });
  }
  return contexts;
}
