import type { Observation } from "@/lib/scaling/observe";
import { formatSeconds, plural } from "@/lib/scaling/reason";
import { jobsPerDynoOf, type ProcessRule } from "@/lib/scaling/rules";
import { coldStartSeconds, dollarsPerDynoSecond, WAIT_SECOND_DOLLARS, waitTargetOf } from "@/lib/scaling/wait-target";
import type { ProcessHistory } from "@/lib/scaling/types";

/** A quantity to start ahead of need, and what it was read from. */
export interface Prewarm {
  quantity: number;
  source: "growth" | "last-week";
  /** For growth: the backlog projected `bootSeconds` ahead. */
  projectedDepth?: number;
}

/**
 * Growth pre-warming. A dyno started now takes jobs only after `bootSeconds`; if the backlog
 * has grown at every one of the last checks, start now the dynos that the backlog projected
 * that far ahead will need. Requiring steady growth (not one jump) keeps probe noise and a
 * single burst (which the depth metric already answers) from buying dynos.
 */
export function growthPrewarm(
  rule: ProcessRule,
  seen: Observation,
  history: ProcessHistory,
  busyDynos: number,
  checkIntervalSeconds: number,
  now: Date,
): Prewarm | null {
  const samples = history.samples;
  const needRises = 2;
  if (samples.length < needRises) return null;
  let previousDepth = seen.depth;
  let oldest = samples[samples.length - 1];
  for (let i = 0; i < needRises; i++) {
    const sample = samples[samples.length - 1 - i];
    if (!sample || sample.depth >= previousDepth) return null;
    previousDepth = sample.depth;
    oldest = sample;
  }
  if (!oldest) return null;
  const spanSeconds = (now.getTime() - oldest.at.getTime()) / 1000;
  // Samples far apart (a missed check) say little about the rate now; samples close together
  // (a check off the schedule, such as the enqueue wake's, right after the first jobs of a
  // burst) would turn one jump into "growth" at every check.
  if (spanSeconds < (needRises - 0.5) * checkIntervalSeconds || spanSeconds > (needRises + 1) * checkIntervalSeconds) return null;
  const ratePerSecond = (seen.depth - oldest.depth) / spanSeconds;
  const projectedDepth = seen.depth + ratePerSecond * (rule.bootSeconds + checkIntervalSeconds);
  const quantity = busyDynos + Math.ceil(projectedDepth / jobsPerDynoOf(rule));
  return { quantity, source: "growth", projectedDepth: Math.round(projectedDepth) };
}

/**
 * Why growth pre-warming should not start its dynos, or null when it should. The dynos start
 * a boot and a check before the backlog they are for: that lead time is what they cost, and
 * the wait the new jobs would otherwise spend on an on-demand boot is what they save. Not
 * worth it when a dyno started on demand still meets the wait target, or when the lead time
 * of the extra dynos costs more than that wait (each second at `WAIT_SECOND_DOLLARS`).
 */
export function prewarmNotWorth(rule: ProcessRule, growth: Prewarm, wanted: number, depth: number, checkIntervalSeconds: number): string | null {
  const cold = coldStartSeconds(rule, checkIntervalSeconds);
  const target = waitTargetOf(rule);
  if (cold <= target) return `no pre-warm: a dyno started on demand (boot + check ${formatSeconds(cold)}) meets the ${formatSeconds(target)} wait target`;
  const extra = growth.quantity - wanted;
  const newJobs = Math.max(0, (growth.projectedDepth ?? depth) - depth);
  const cost = extra * cold * dollarsPerDynoSecond(rule);
  if (cost > newJobs * cold * WAIT_SECOND_DOLLARS) {
    return `no pre-warm: ${plural(extra, "more dyno")} ${formatSeconds(cold)} early would cost more than the wait of the ${plural(Math.round(newJobs), "job")} expected`;
  }
  return null;
}

/** Last week's need at this time (the scheduler supplies it); a weekly rhythm repeats. */
export function lastWeekPrewarm(history: ProcessHistory): Prewarm | null {
  const quantity = history.lastWeekNeededQuantity;
  if (quantity === undefined || quantity === null || quantity <= 0) return null;
  return { quantity, source: "last-week" };
}
