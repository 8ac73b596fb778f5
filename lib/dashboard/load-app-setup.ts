import { planOrHobby, type Plan } from "@/lib/billing/plans";
import { db } from "@/lib/db/client";
import { appStatus, type AppStatus } from "@/lib/dashboard/app-status";
import { modeColumnsSelect, ruleFromRow } from "@/lib/dashboard/rule-record";
import type { ProcessRule } from "@/lib/scaling/rules";

export interface ConfiguredProcessType {
  processType: string;
  enabled: boolean;
  /** The rule (defaults filled in); null when the process type has a queue source but no rule yet. */
  rule: ProcessRule | null;
  /** Why the stored rule could not be read (the engine holds such a process type). */
  ruleProblem: string | null;
  dynoSize: string | null;
  source: { mode: "probe" | "push"; backend: string | null } | null;
}

export interface AppSetup {
  plan: Plan;
  status: AppStatus;
  processTypes: ConfiguredProcessType[];
}

/** An app's rules, sources and status, read with the tenant id in every query's `where`. */
export async function loadAppSetup(tenantId: string, now: Date = new Date()): Promise<AppSetup> {
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: {
      plan: true,
      state: true,
      paused: true,
      dryRun: true,
      lastError: true,
      lastCheckAt: true,
      lastGoodCheckAt: true,
      tokens: { where: { kind: "scaling", revokedAt: null }, select: { id: true } },
      processRules: { select: { processType: true, enabled: true, minDynos: true, maxDynos: true, settings: true, ...modeColumnsSelect }, orderBy: { processType: "asc" } },
      queueSources: { select: { processType: true, mode: true, backend: true } },
    },
  });
  const plan = planOrHobby(tenant.plan);
  const names = [...new Set([...tenant.processRules.map((r) => r.processType), ...tenant.queueSources.map((s) => s.processType)])].sort();
  const processTypes = names.map((processType): ConfiguredProcessType => {
    const row = tenant.processRules.find((r) => r.processType === processType);
    const source = tenant.queueSources.find((s) => s.processType === processType);
    const read = row ? ruleFromRow(row) : null;
    return {
      processType,
      enabled: row?.enabled ?? false,
      rule: read?.rule ?? null,
      ruleProblem: read?.problem ?? null,
      dynoSize: read?.dynoSize ?? null,
      source: source ? { mode: source.mode, backend: source.backend } : null,
    };
  });
  const status = appStatus({
    state: tenant.state,
    paused: tenant.paused,
    dryRun: tenant.dryRun,
    authorized: tenant.tokens.length > 0,
    lastError: tenant.lastError,
    lastCheckAt: tenant.lastCheckAt,
    lastGoodCheckAt: tenant.lastGoodCheckAt,
    ruleCount: tenant.processRules.length,
    checkIntervalSeconds: plan.checkIntervalSeconds,
    now,
  });
  return { plan, status, processTypes };
}
