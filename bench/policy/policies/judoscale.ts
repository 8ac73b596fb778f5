import type { Observation, SimPolicy } from "@/bench/policy/policy";

/**
 * Judoscale on job queue time: every 10 s it compares the max queue time over the selected
 * queues with its range. Above the upper threshold (and past the upscale cooldown) it adds
 * `jump` dynos; it removes one only when every sample of the downscale delay was below the
 * lower threshold with no busy job, and then at most once per delay.
 */
export function judoscalePolicy(o: {
  name: string;
  upperSeconds: number;
  lowerSeconds: number;
  jump: number;
  upscaleCooldownSeconds: number;
  downscaleDelaySeconds: number;
  min: number;
  max: number;
}): SimPolicy {
  const interval = 10;
  let lastUp = -Infinity;
  let lastDown = -Infinity;
  let lowSince: number | null = null;
  return {
    name: o.name,
    knobs: {
      interval: `${interval} s`,
      range: `${o.lowerSeconds}–${o.upperSeconds} s`,
      jump: o.jump,
      upscaleCooldown: `${o.upscaleCooldownSeconds} s`,
      downscaleDelay: `${o.downscaleDelaySeconds} s`,
      busyJobs: "block downscale",
      min: o.min,
      max: o.max,
    },
    checkIntervalSeconds: interval,
    // The adapter reports every 10 s; on average the metric is half a report old, plus transit.
    reportingDelaySeconds: 6,
    initialQuantity: o.min,
    apiReadsPerCheck: 0,
    check(obs: Observation, now: number): number | null {
      const n = obs.quantity;
      const latency = obs.latencySeconds ?? 0;
      if (latency < o.lowerSeconds && obs.busy === 0) lowSince ??= now;
      else lowSince = null;
      if (latency > o.upperSeconds && n < o.max && now - lastUp >= o.upscaleCooldownSeconds) {
        lastUp = now;
        return Math.min(o.max, n + o.jump);
      }
      if (
        n > o.min &&
        lowSince !== null &&
        now - lowSince >= o.downscaleDelaySeconds &&
        now - Math.max(lastDown, lastUp) >= o.downscaleDelaySeconds
      ) {
        lastDown = now;
        return n - 1;
      }
      return null;
    },
  };
}
