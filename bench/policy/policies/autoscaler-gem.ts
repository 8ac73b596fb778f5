import type { Observation, SimPolicy } from "@/bench/policy/policy";

/**
 * The `autoscaler` gem for Sidekiq, linear strategy. Its client middleware starts one dyno on
 * enqueue when it believes none runs; a loop in the workers every 15 s sets
 * min(max, max(busy dynos, ceil(work / capacity))), work = queued + scheduled + retries + busy,
 * and scales to zero once work has been zero for the idle timeout. The loop lives in the
 * worker dynos, so it does nothing while none runs.
 */
export function autoscalerGemPolicy(o: {
  name: string;
  capacityPerDyno: number;
  concurrency: number;
  idleTimeoutSeconds: number;
  max: number;
}): SimPolicy {
  let idleSince: number | null = null;
  return {
    name: o.name,
    knobs: { loop: "15 s", wake: "on enqueue", capacity: o.capacityPerDyno, idleTimeout: `${o.idleTimeoutSeconds} s`, max: o.max },
    checkIntervalSeconds: 15,
    reportingDelaySeconds: 0,
    initialQuantity: 0,
    apiReadsPerCheck: 0,
    onEnqueue(quantity: number): number | null {
      idleSince = null;
      return quantity < 1 ? 1 : null;
    },
    check(obs: Observation, now: number): number | null {
      const n = obs.quantity;
      if (n === 0 || obs.upDynos === 0) return null;
      const work = obs.depth + obs.busy;
      if (work === 0) {
        idleSince ??= now;
        return now - idleSince >= o.idleTimeoutSeconds ? 0 : null;
      }
      idleSince = null;
      const busyDynos = Math.ceil(obs.busy / o.concurrency);
      const desired = Math.min(o.max, Math.max(busyDynos, Math.ceil(work / o.capacityPerDyno)));
      return desired !== n ? desired : null;
    },
  };
}
