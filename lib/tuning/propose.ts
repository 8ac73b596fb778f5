import { BILLED_HOURS_PER_MONTH } from "@/lib/billing/dyno-prices";
import type { ProcessRule } from "@/lib/scaling/rules";
import { dollarsPerDynoSecond, waitTargetOf } from "@/lib/scaling/wait-target";
import { candidateRules } from "@/lib/tuning/candidates";
import { simulateRule } from "@/lib/tuning/simulate";
import type { Workload } from "@/lib/tuning/workload";

/** Seconds in the month Heroku's monthly prices are quoted for (30 days). */
export const MONTH_SECONDS = BILLED_HOURS_PER_MONTH * 3600;

/** What the simulation predicts for one rule, scaled to a 30-day month. */
export interface Prediction {
  monthlyDollars: number;
  p95WaitSeconds: number;
  /** Mean dynos running over the simulated history. */
  meanDynos: number;
  maxDynos: number;
  meetsTarget: boolean;
}

export interface Proposal {
  waitTargetSeconds: number;
  current: Prediction;
  proposed: Prediction;
  /** The proposed rule, every field filled in (the customer's own when nothing beats it). */
  rule: ProcessRule;
  /** False when no candidate met the wait target: the proposal is then the one that waited least. */
  meetsTarget: boolean;
  /** True when the customer's rule is itself the proposal. */
  unchanged: boolean;
  candidates: number;
}

function predict(rule: ProcessRule, workload: Workload, target: number): Prediction {
  const result = simulateRule(rule, workload);
  const scale = result.coveredSeconds > 0 ? MONTH_SECONDS / result.coveredSeconds : 0;
  const p95 = result.p95WaitSeconds;
  return {
    monthlyDollars: result.dynoSeconds * dollarsPerDynoSecond(rule) * scale,
    p95WaitSeconds: p95,
    meanDynos: result.coveredSeconds > 0 ? result.dynoSeconds / result.coveredSeconds : 0,
    maxDynos: result.maxDynos,
    meetsTarget: p95 <= target,
  };
}

/**
 * Simulates the customer's rule and its candidates (lib/tuning/candidates.ts) over the
 * workload and proposes the cheapest whose p95 wait meets the rule's wait target; on a tie the
 * shorter wait, then the customer's own rule. When none meets it, the one that waits least
 * (the cheaper on a tie), and says so.
 */
export function proposeRule(current: ProcessRule, workload: Workload): Proposal {
  const target = waitTargetOf(current);
  const candidates = candidateRules(current);
  const predictions = candidates.map((rule) => ({ rule, prediction: predict(rule, workload, target) }));
  const mine = predictions[0];
  if (!mine) throw new Error("candidateRules always returns the current rule first");
  const cents = (p: Prediction) => Math.round(p.monthlyDollars * 100);
  const meeting = predictions.filter((p) => p.prediction.meetsTarget);
  const pool = meeting.length > 0 ? meeting : predictions;
  const best = pool.reduce((a, b) => {
    const [x, y] = [a.prediction, b.prediction];
    if (meeting.length > 0) {
      if (cents(x) !== cents(y)) return cents(x) < cents(y) ? a : b;
      if (x.p95WaitSeconds !== y.p95WaitSeconds) return x.p95WaitSeconds < y.p95WaitSeconds ? a : b;
      return a; // earlier wins: the customer's own rule is first
    }
    if (x.p95WaitSeconds !== y.p95WaitSeconds) return x.p95WaitSeconds < y.p95WaitSeconds ? a : b;
    return cents(x) <= cents(y) ? a : b;
  });
  return {
    waitTargetSeconds: target,
    current: mine.prediction,
    proposed: best.prediction,
    rule: best.rule,
    meetsTarget: meeting.length > 0,
    unchanged: best === mine,
    candidates: candidates.length,
  };
}
