import type { ProcessRule } from "@/lib/scaling/rules";
import type { Bounds } from "@/lib/scaling/schedule";
import type { ProcessDecision, ProcessHistory, ProcessMetrics } from "@/lib/scaling/types";
import { decideWeb, type WebRule } from "@/lib/scaling/web-decide";

/** A `kind: "web"` process rule as `decideWeb` reads it, with min and max as in force now. */
export function webRuleOf(rule: ProcessRule, bounds: Bounds): WebRule {
  return {
    processType: rule.processType,
    ...rule.web,
    minQuantity: bounds.minQuantity,
    maxQuantity: bounds.maxQuantity,
    concurrencyPerDyno: rule.concurrencyPerDyno,
    dynoSize: rule.dynoSize,
    dryRun: rule.dryRun,
  };
}

/**
 * A web process type's decision in the engine's common shape, so the check's steps (act,
 * record, events) and the rules preview treat it like any other. No drain: Heroku's router
 * stops sending requests to a stopping dyno, which finishes the ones it has within its 30 s.
 */
export function decideWebProcess(
  rule: ProcessRule,
  metrics: ProcessMetrics | undefined,
  history: ProcessHistory,
  bounds: Bounds,
  otherAppDynos: number,
  now: Date,
): ProcessDecision {
  const decision = decideWeb({
    rule: webRuleOf(rule, bounds),
    currentQuantity: history.currentQuantity,
    windows: metrics?.web ?? [],
    now,
    lastUpscaleAt: history.lastUpscaleAt,
    lastDownscaleAt: history.lastDownscaleAt,
    otherAppDynos,
  });
  return {
    processType: rule.processType,
    currentQuantity: decision.currentQuantity,
    desiredQuantity: decision.targetQuantity,
    neededQuantity: decision.neededQuantity,
    wantedQuantity: decision.targetQuantity,
    direction: decision.direction,
    apply: decision.apply,
    dryRun: rule.dryRun,
    paused: false,
    fallback: decision.driver === "missing",
    driver: decision.driver,
    bounds,
    observed: { depth: 0, latencyMs: decision.queueTimeMs, busy: null },
    reason: decision.reason,
  };
}
