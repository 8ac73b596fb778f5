import { plans, type PlanName } from "@/lib/billing/plans";

export interface RuleForLimits {
  processType: string;
  enabled: boolean;
  createdAt: Date;
}

/**
 * The process types a plan does not cover: of the enabled rules, those beyond the plan's
 * `maxProcessTypes`. The oldest rules keep running (the app's first process type is usually its
 * main worker); the newest are the ones to pause. Disabled rules never count against the limit.
 */
export function processTypesOverPlan(plan: PlanName, rules: readonly RuleForLimits[]): string[] {
  const limit = plans[plan].maxProcessTypes;
  if (limit === null) return [];
  const enabled = rules
    .filter((rule) => rule.enabled)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.processType.localeCompare(b.processType));
  return enabled.slice(limit).map((rule) => rule.processType);
}
