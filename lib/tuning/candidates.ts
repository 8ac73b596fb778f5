import { processRuleSchema, type ProcessRule } from "@/lib/scaling/rules";

/** Most rules simulated for one proposal, the customer's own included. */
export const MAX_CANDIDATES = 40;

const DOWNSCALE_DELAYS = [30, 120, 600] as const;
const IDLE_BEFORE_ZERO = [30, 300] as const;
const KEEP_WARM_AFTER_STARTS = [0, 3] as const;

/**
 * The rules a proposal chooses from: the customer's own first, then variations of the knobs that
 * trade dyno time against waiting, everything else (min, max, concurrency, boot time, dyno size,
 * schedules, the wait target itself) kept as the customer set it:
 *
 * - downscale delay: 30 s, 2 min, 10 min;
 * - idle before zero: 30 s, 5 min, and keep-warm off or after 3 starts an hour (only where the
 *   rule may reach zero dynos: a minimum of 0, or a schedule window allowing it);
 * - how eagerly to add dynos: upscale at 5 s of latency with a slot for every waiting job, at
 *   20 s, or at 20 s with twice the concurrency in waiting jobs per dyno.
 *
 * At most 3 × 2 × 2 × 3 = 36 variations plus the customer's rule; each is checked with the
 * engine's schema (an invalid combination is left out) and duplicates are dropped.
 */
export function candidateRules(current: ProcessRule): ProcessRule[] {
  const mayReachZero = current.minQuantity === 0 || current.schedules.some((w) => w.minQuantity === 0);
  const idles = mayReachZero ? IDLE_BEFORE_ZERO : [current.scaleToZero.idleSeconds];
  const keepWarms = mayReachZero ? KEEP_WARM_AFTER_STARTS : [current.scaleToZero.keepWarmAfterStarts];
  const eagerness = [
    { upscaleLatencySeconds: 5, jobsPerDyno: null },
    { upscaleLatencySeconds: 20, jobsPerDyno: null },
    { upscaleLatencySeconds: 20, jobsPerDyno: current.concurrencyPerDyno * 2 },
  ];
  const seen = new Set<string>();
  const out: ProcessRule[] = [];
  const add = (rule: ProcessRule) => {
    const key = JSON.stringify(rule);
    if (seen.has(key) || out.length >= MAX_CANDIDATES) return;
    seen.add(key);
    out.push(rule);
  };
  add(current);
  for (const delaySeconds of DOWNSCALE_DELAYS) {
    for (const idleSeconds of idles) {
      for (const keepWarmAfterStarts of keepWarms) {
        for (const eager of eagerness) {
          const parsed = processRuleSchema.safeParse({
            ...current,
            upscaleLatencySeconds: eager.upscaleLatencySeconds,
            downscaleLatencySeconds: Math.min(current.downscaleLatencySeconds, eager.upscaleLatencySeconds),
            jobsPerDyno: eager.jobsPerDyno,
            downscale: { ...current.downscale, delaySeconds },
            scaleToZero: {
              ...current.scaleToZero,
              idleSeconds,
              keepWarmAfterStarts,
              keepWarmSeconds: current.scaleToZero.keepWarmSeconds > 0 ? current.scaleToZero.keepWarmSeconds : 900,
            },
          });
          if (parsed.success) add(parsed.data);
        }
      }
    }
  }
  return out;
}
