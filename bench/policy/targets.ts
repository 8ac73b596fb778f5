import type { SimResult } from "@/bench/policy/simulate";

/** How Ebbflow's default stands against the baselines on one trace (the target). */
export interface TargetCheck {
  /** Cheapest baseline whose p95 wait is no worse than Ebbflow's; null if none is. */
  cheapestNoWorse: { policy: string; dollars: number; p95: number } | null;
  /** Ebbflow's dollars ÷ that baseline's (target ≤ 0.8). */
  costRatio: number | null;
  /** Best p95 among baselines that cost no more than Ebbflow; null if none does. */
  bestAtEqualCost: { policy: string; dollars: number; p95: number } | null;
  costMet: boolean;
  killsMet: boolean;
  waitMet: boolean;
}

export const costTarget = 0.8;

export function checkTarget(ebbflow: SimResult, baselines: readonly SimResult[]): TargetCheck {
  let cheapest: SimResult | null = null;
  let bestWait: SimResult | null = null;
  for (const b of baselines) {
    if (b.waitSeconds.p95 <= ebbflow.waitSeconds.p95 && (cheapest === null || b.dollars < cheapest.dollars)) cheapest = b;
    if (b.dollars <= ebbflow.dollars && (bestWait === null || b.waitSeconds.p95 < bestWait.waitSeconds.p95)) bestWait = b;
  }
  const costRatio = cheapest === null ? null : cheapest.dollars > 0 ? ebbflow.dollars / cheapest.dollars : Infinity;
  const summary = (r: SimResult | null) => (r === null ? null : { policy: r.policy, dollars: r.dollars, p95: r.waitSeconds.p95 });
  return {
    cheapestNoWorse: summary(cheapest),
    costRatio,
    bestAtEqualCost: summary(bestWait),
    costMet: costRatio === null || costRatio <= costTarget,
    killsMet: ebbflow.jobsKilled === 0,
    waitMet: bestWait === null || ebbflow.waitSeconds.p95 <= bestWait.waitSeconds.p95,
  };
}

/** One line for the table: "target: cost 0.42× static-peak ✓, kills 0 ✓, p95 ✓ (best at ≤ cost: ...)". */
export function describeTarget(check: TargetCheck): string {
  const mark = (ok: boolean): string => (ok ? "met" : "NOT met");
  const cost = check.cheapestNoWorse
    ? `cost ${check.costRatio?.toFixed(2)}× ${check.cheapestNoWorse.policy} (cheapest baseline with p95 ≤ ebbflow's) ${mark(check.costMet)}`
    : "cost: no baseline has a p95 as low (met)";
  const wait = check.bestAtEqualCost
    ? `p95 vs ${check.bestAtEqualCost.policy} (best p95 at ≤ cost, ${check.bestAtEqualCost.p95.toFixed(1)} s) ${mark(check.waitMet)}`
    : "p95: no baseline costs as little (met)";
  return `target: ${cost}; kills ${mark(check.killsMet)}; ${wait}`;
}
