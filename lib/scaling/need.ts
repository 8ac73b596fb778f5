import type { Observation } from "@/lib/scaling/observe";
import { jobsPerDynoOf, type ProcessRule } from "@/lib/scaling/rules";

/** What the latency metric says about the formation. */
export type LatencyVerdict = "up" | "booting" | "hold" | "down" | "unknown";

/** The quantity the metrics ask for, with the parts a reason needs to explain it. */
export interface Need {
  quantity: number;
  driver: "depth" | "latency" | "busy" | "wake" | "idle";
  /** Dynos the running jobs occupy: busy workers ÷ concurrency, rounded up. */
  busyDynos: number;
  /** The depth metric's answer; null when the rule does not use depth. */
  depthQuantity: number | null;
  latencyQuantity: number | null;
  latencyVerdict: LatencyVerdict;
}

/** What `computeNeed` knows besides the observation. */
export interface NeedContext {
  currentQuantity: number;
  /** Seconds since the last upscale (Infinity if none): dynos added since then may still boot. */
  sinceUpscaleSeconds: number;
}

/** How far one latency reading may multiply the formation; more waits for the next check. */
const maxLatencyGrowth = 2;

function latencyAnswer(
  rule: ProcessRule,
  seen: Observation,
  context: NeedContext,
  busyDynos: number,
): { verdict: LatencyVerdict; quantity: number | null } {
  const current = context.currentQuantity;
  const latencySeconds = seen.latencyMs === null ? (seen.depth === 0 ? 0 : null) : seen.latencyMs / 1000;
  if (latencySeconds === null) return { verdict: "unknown", quantity: null };
  if (latencySeconds > rule.upscaleLatencySeconds) {
    // Jobs keep aging while the dynos of the last upscale boot; adding more for that age would
    // buy the same capacity twice. Judge latency again once they take jobs.
    if (context.sinceUpscaleSeconds < rule.bootSeconds) return { verdict: "booting", quantity: current };
    // Boots vary: a backlog that fits the slots of the dynos there are, soon after they were
    // added, waits on a slow boot, not on capacity. More dynos would boot no sooner.
    const fits = seen.depth + (seen.busy ?? 0) <= current * rule.concurrencyPerDyno;
    if (fits && context.sinceUpscaleSeconds < 2 * rule.bootSeconds) return { verdict: "booting", quantity: current };
    // Proportional: twice the threshold wants about twice the dynos, but at least one more.
    const ratio = Math.min(latencySeconds / rule.upscaleLatencySeconds, maxLatencyGrowth);
    return { verdict: "up", quantity: Math.max(current + 1, Math.ceil(Math.max(current, 1) * ratio)) };
  }
  if (latencySeconds >= rule.downscaleLatencySeconds && seen.depth > 0) {
    return { verdict: "hold", quantity: current };
  }
  // Latency alone cannot size a formation, so on its own it only steps down one at a time.
  const quantity = rule.metric === "latency" ? Math.max(busyDynos, current - 1) : busyDynos;
  return { verdict: "down", quantity };
}

/**
 * The depth metric's answer: enough slots for the running jobs and the backlog, one waiting
 * job per `jobsPerDyno`. A backlog smaller than one dyno's worth that is not yet old (latency
 * under the downscale threshold) is left to the slots that free up: a new dyno would take
 * `bootSeconds` to help with jobs that start sooner than that anyway.
 */
function depthAnswer(rule: ProcessRule, seen: Observation, current: number, busyDynos: number): number {
  if (seen.depth === 0) return busyDynos;
  const perDyno = jobsPerDynoOf(rule);
  const latencySeconds = seen.latencyMs === null ? Infinity : seen.latencyMs / 1000;
  const youngSmallBacklog = current > 0 && seen.depth < perDyno && latencySeconds < rule.downscaleLatencySeconds;
  if (youngSmallBacklog) return current;
  const busy = seen.busy ?? 0;
  // Running jobs fill slots (concurrency); waiting jobs fill `jobsPerDyno` each.
  return Math.ceil(busy / rule.concurrencyPerDyno + seen.depth / perDyno);
}

/**
 * Sizes the formation from one observation. Depth: the slots running and waiting jobs need.
 * Latency: proportional growth above the upscale threshold (once earlier dynos have booted),
 * hold between the thresholds, release below. With `both`, the larger answer wins.
 */
export function computeNeed(rule: ProcessRule, seen: Observation, context: NeedContext): Need {
  const current = context.currentQuantity;
  const busyDynos = seen.busy === null ? 0 : Math.ceil(seen.busy / rule.concurrencyPerDyno);
  const depthQuantity = rule.metric === "latency" ? null : depthAnswer(rule, seen, current, busyDynos);
  const latency =
    rule.metric === "depth"
      ? { verdict: "unknown" as const, quantity: null }
      : latencyAnswer(rule, seen, context, busyDynos);

  let quantity = busyDynos;
  let driver: Need["driver"] = busyDynos > 0 ? "busy" : "idle";
  if (depthQuantity !== null && depthQuantity > quantity) {
    quantity = depthQuantity;
    driver = "depth";
  }
  if (latency.quantity !== null && latency.quantity > quantity) {
    quantity = latency.quantity;
    driver = "latency";
  }
  // Latency-only with a backend that cannot measure age: the backlog is all there is to go on.
  if (rule.metric === "latency" && latency.verdict === "unknown" && seen.depth > 0) {
    const fromDepth = depthAnswer(rule, seen, current, busyDynos);
    if (fromDepth > quantity) {
      quantity = fromDepth;
      driver = "depth";
    }
  }
  // Wake on the first job: a queued job with no dyno never ages past a threshold usefully.
  if (current === 0 && seen.depth > 0 && quantity <= 1) {
    quantity = 1;
    driver = "wake";
  }
  return {
    quantity,
    driver,
    busyDynos,
    depthQuantity,
    latencyQuantity: latency.quantity,
    latencyVerdict: latency.verdict,
  };
}
