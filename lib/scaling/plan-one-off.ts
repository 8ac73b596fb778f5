import { composeReason, plural } from "@/lib/scaling/reason";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { ProcessDecision } from "@/lib/scaling/types";

/**
 * Heroku's limit on one-off dynos running at once per app, by dyno size: Eco 1, Basic and
 * Standard 50, Performance, Private and Shield 5.
 */
export function oneOffLimitFor(size: string): number {
  const tier = size.toLowerCase();
  if (tier === "eco" || tier === "free" || tier === "hobby") return 1;
  if (tier === "basic" || tier.startsWith("standard")) return 50;
  return 5;
}

export interface OneOffCounts {
  /** One-off dynos this process type's rule started that are still starting or up. */
  running: number;
  /** Every one-off dyno of the app counted against the limit (ours and anyone else's). */
  runningOnApp: number;
}

export interface OneOffPlan {
  /** How many one-off dynos to start now. */
  start: number;
  /** The engine's decision restated for one-off mode: running → running + start. */
  decision: ProcessDecision;
  /** True when Heroku's concurrent one-off limit cut the start short. */
  limitBinds: boolean;
}

/**
 * One-off mode: the engine's decision, read with the running one-off dynos as the current
 * quantity, says how many dynos the work wants; Ebbflow starts the difference and never stops
 * one (each exits when its queues are empty). It starts no more than the waiting jobs can
 * fill (a dyno started for nothing would boot, find the queue empty and exit, billed), and no
 * more than Heroku's concurrent one-off limit leaves room for; the reason says when that
 * limit binds. Pure: the check and the policy benchmark both run it.
 */
export function planOneOff(rule: ProcessRule, decision: ProcessDecision, counts: OneOffCounts): OneOffPlan {
  const running = counts.running;
  const limit = oneOffLimitFor(rule.oneOff.size);
  const wanted = decision.direction === "up" && !decision.paused ? decision.desiredQuantity - running : 0;
  const freeSlots = Math.max(0, running * rule.concurrencyPerDyno - (decision.observed.busy ?? 0));
  const uncovered = Math.max(0, decision.observed.depth - freeSlots);
  const forWork = Math.ceil(uncovered / rule.concurrencyPerDyno);
  const room = Math.max(0, limit - counts.runningOnApp);
  const beforeLimit = Math.max(0, Math.min(wanted, forWork));
  const start = Math.min(beforeLimit, room);
  const limitBinds = beforeLimit > room;

  const parts: string[] = [];
  if (start > 0) parts.push(`starting ${plural(start, "one-off dyno")} (${rule.oneOff.size})`);
  if (limitBinds) {
    parts.push(`Heroku's limit of ${limit} one-off ${rule.oneOff.size} dynos at once binds (${counts.runningOnApp} running on the app)`);
  }
  if (wanted > 0 && forWork < wanted && start === forWork) parts.push(`${plural(uncovered, "waiting job")} fill ${plural(forWork, "more dyno")}`);
  const detail = decision.reason.replace(/^[^:]*:\s*/, "");
  parts.push(detail);
  const desired = running + start;
  return {
    start,
    limitBinds,
    decision: {
      ...decision,
      desiredQuantity: desired,
      direction: desired > running ? "up" : "none",
      apply: start > 0 && !decision.dryRun,
      reason: composeReason(rule.processType, running, desired, parts, decision.dryRun),
    },
  };
}
