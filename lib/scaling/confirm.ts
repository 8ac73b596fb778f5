import type { ProcessDecision } from "@/lib/scaling/types";

/**
 * Heroku stops the highest-numbered dynos on a downscale, and a job that lands on one of them
 * between the probe and the formation update is killed if it runs past the 30 s grace. So a
 * downscale is confirmed: the check probes again right before it acts, decides again, and
 * applies the downscale only if the fresh decision still wants one, to the larger of the two
 * quantities. Upscales and holds need no confirmation and pass through unchanged.
 *
 * Pure, like `decide`: the caller supplies both decisions.
 */
export function confirmDownscale(first: ProcessDecision, fresh: ProcessDecision): ProcessDecision {
  if (first.direction !== "down") return first;
  if (fresh.direction !== "down") return { ...fresh, reason: `${fresh.reason} (downscale withdrawn on a fresh probe)` };
  if (fresh.desiredQuantity >= first.desiredQuantity) return fresh;
  return { ...first, neededQuantity: fresh.neededQuantity, observed: fresh.observed };
}
