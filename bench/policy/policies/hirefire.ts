import type { Observation, SimPolicy } from "@/bench/policy/policy";

/** HireFire's gates shared by both strategies: sensitivity (checks in a row) and timeouts. */
interface Gates {
  upscaleSensitivity: number;
  downscaleSensitivity: number;
  upscaleTimeoutSeconds: number;
  downscaleTimeoutSeconds: number;
}

function gate(g: Gates) {
  let upStreak = 0;
  let downStreak = 0;
  let lastUp = -Infinity;
  let lastDown = -Infinity;
  return (direction: "up" | "down" | "none", now: number): boolean => {
    if (direction === "up") {
      downStreak = 0;
      upStreak++;
      if (upStreak < g.upscaleSensitivity || now - lastUp < g.upscaleTimeoutSeconds) return false;
      upStreak = 0;
      lastUp = now;
      return true;
    }
    if (direction === "down") {
      upStreak = 0;
      downStreak++;
      if (downStreak < g.downscaleSensitivity || now - lastDown < g.downscaleTimeoutSeconds) return false;
      downStreak = 0;
      lastDown = now;
      return true;
    }
    upStreak = 0;
    downStreak = 0;
    return false;
  };
}

/**
 * HireFire's job-queue (ratio) strategy: dynos = ceil(jobs / ratio), where its Sidekiq macro
 * counts running jobs as well as queued ones. Without `decrementable` it scales down only
 * once the count is zero (then straight to the minimum).
 */
export function hirefireRatioPolicy(o: {
  name: string;
  checkIntervalSeconds: number;
  ratio: number;
  min: number;
  max: number;
  decrementable: boolean;
  limit: number;
}): SimPolicy {
  const pass = gate({ upscaleSensitivity: 1, downscaleSensitivity: 1, upscaleTimeoutSeconds: 0, downscaleTimeoutSeconds: 0 });
  return {
    name: o.name,
    knobs: { checkup: `${o.checkIntervalSeconds} s`, ratio: o.ratio, min: o.min, max: o.max, decrementable: o.decrementable, sensitivity: 1, timeout: "0 min", limit: o.limit },
    checkIntervalSeconds: o.checkIntervalSeconds,
    reportingDelaySeconds: 1,
    initialQuantity: o.min,
    apiReadsPerCheck: 1,
    check(obs: Observation, now: number): number | null {
      const n = obs.quantity;
      const count = obs.depth + obs.busy;
      const desired = Math.min(o.max, Math.max(o.min, Math.ceil(count / o.ratio)));
      let direction: "up" | "down" | "none" = desired > n ? "up" : desired < n ? "down" : "none";
      if (direction === "down" && !o.decrementable && count > 0) direction = "none";
      if (!pass(direction, now)) return null;
      const step = o.limit > 0 ? o.limit : Infinity;
      return direction === "up" ? Math.min(desired, n + step) : Math.max(desired, n - step);
    },
  };
}

/**
 * HireFire's job-latency strategy: above the maximum latency add `upscaleQuantity`, below the
 * minimum remove `downscaleQuantity`; from zero, any queued job starts one dyno.
 */
export function hirefireLatencyPolicy(o: {
  name: string;
  checkIntervalSeconds: number;
  minLatencySeconds: number;
  maxLatencySeconds: number;
  min: number;
  max: number;
}): SimPolicy {
  const pass = gate({ upscaleSensitivity: 1, downscaleSensitivity: 1, upscaleTimeoutSeconds: 0, downscaleTimeoutSeconds: 0 });
  return {
    name: o.name,
    knobs: { checkup: `${o.checkIntervalSeconds} s`, minLatency: `${o.minLatencySeconds} s`, maxLatency: `${o.maxLatencySeconds} s`, upscaleQuantity: 1, downscaleQuantity: 1, min: o.min, max: o.max },
    checkIntervalSeconds: o.checkIntervalSeconds,
    reportingDelaySeconds: 1,
    initialQuantity: o.min,
    apiReadsPerCheck: 1,
    check(obs: Observation, now: number): number | null {
      const n = obs.quantity;
      const latency = obs.latencySeconds ?? 0;
      if (n === 0 && obs.depth > 0) return Math.max(1, o.min);
      let direction: "up" | "down" | "none" = "none";
      if (latency > o.maxLatencySeconds && n < o.max) direction = "up";
      else if (latency < o.minLatencySeconds && n > o.min) direction = "down";
      if (!pass(direction, now)) return null;
      return direction === "up" ? n + 1 : n - 1;
    },
  };
}
