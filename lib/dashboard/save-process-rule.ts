import { z } from "zod";
import { planOrHobby } from "@/lib/billing/plans";
import { dynoPrices } from "@/lib/billing/dyno-prices";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { rowFromRule } from "@/lib/dashboard/rule-record";
import { webRedis } from "@/lib/redis/connection";
import { processRuleSchema, type ProcessRule } from "@/lib/scaling/rules";
import { invalidField } from "@/lib/http/validation-error";

export const dynoSizeNames = dynoPrices.map((price) => price.size);

/**
 * What the rules form sends: the rule itself, parsed with the engine's own processRuleSchema
 * (the browser validates with the same schema before sending), whether it is on, and the dyno
 * size the savings figures price it at.
 */
export const saveRuleRequestSchema = z.preprocess(
  // The size picked beside the form is the rule's size: a web rule's max is checked against it.
  (body) => {
    const shape = z.looseObject({ dynoSize: z.string(), rule: z.record(z.string(), z.unknown()) }).safeParse(body);
    return shape.success ? { ...shape.data, rule: { ...shape.data.rule, dynoSize: shape.data.dynoSize } } : body;
  },
  z.object({
    enabled: z.boolean().default(true),
    dynoSize: z
      .string()
      .refine((size) => dynoSizeNames.includes(size), "a Heroku dyno size such as standard-1x")
      .nullable()
      .default(null),
    rule: processRuleSchema,
  }),
);

export type SaveRuleRequest = z.output<typeof saveRuleRequestSchema>;

/** Plan features a rule may use only on some plans; the error says which plan to move to. */
function checkPlanFeatures(planName: string, rule: ProcessRule): void {
  const plan = planOrHobby(planName);
  if (rule.schedules.length > 0 && !plan.features.schedules) {
    throw invalidField("rule.schedules", "schedules need the Standard or Pro plan; remove them or upgrade on the Billing page.");
  }
  if (rule.prewarm.lastWeek && !plan.features.predictive) {
    throw invalidField("rule.prewarm.lastWeek", "last-week pre-warming needs the Pro plan; turn it off or upgrade on the Billing page.");
  }
}

/**
 * Creates or replaces one process type's rule. The tenant id is in the write's `where` (the
 * unique key is tenant + process type), so a rule can only land on the caller's app. A new
 * process type beyond the plan's limit is refused, naming the limit. The app's next check is
 * brought forward to now.
 */
export async function saveProcessRule(tenantId: string, request: SaveRuleRequest): Promise<{ processType: string; created: boolean }> {
  const { rule } = request;
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { plan: true, processRules: { select: { processType: true } } },
  });
  checkPlanFeatures(tenant.plan, rule);
  const exists = tenant.processRules.some((r) => r.processType === rule.processType);
  const limit = planOrHobby(tenant.plan).maxProcessTypes;
  if (!exists && limit !== null && tenant.processRules.length >= limit) {
    throw new AppError(
      "invalid_params",
      `rule.processType: the ${planOrHobby(tenant.plan).title} plan autoscales ${limit} process type${limit === 1 ? "" : "s"}; remove one or upgrade on the Billing page.`,
    );
  }
  const row = rowFromRule(rule, request.dynoSize);
  await db.processRule.upsert({
    where: { tenantId_processType: { tenantId, processType: rule.processType } },
    create: { tenantId, processType: rule.processType, enabled: request.enabled, ...row },
    update: { enabled: request.enabled, ...row },
  });
  // The next check runs now rather than at the next slot, so the customer sees the rule act.
  await syncTenantSchedule(webRedis(), tenantId);
  return { processType: rule.processType, created: !exists };
}

export const removeRuleRequestSchema = z.object({ processType: processRuleSchema.shape.processType });

/** Deletes one process type's rule; its history stays. Deleting a rule that is gone is fine. */
export async function removeProcessRule(tenantId: string, processType: string): Promise<{ removed: boolean }> {
  const { count } = await db.processRule.deleteMany({ where: { tenantId, processType } });
  return { removed: count > 0 };
}
