import type { Observation, SimPolicy } from "@/bench/policy/policy";

/**
 * KEDA with the Kubernetes HPA on a list-length trigger. KEDA polls every 30 s and owns 0 ↔ 1
 * (active while the list is longer than the activation value; back to zero after the cooldown
 * of inactivity). The HPA runs every 15 s for n ≥ 1: desired = ceil(length / target) unless
 * within 10 % of the current ratio; up at most max(2n, n + 4) per 15 s; down only to the
 * largest recommendation of the last 300 s; never below 1 (KEDA's job).
 */
export function kedaHpaPolicy(o: {
  name: string;
  targetPerDyno: number;
  activation: number;
  cooldownSeconds: number;
  max: number;
}): SimPolicy {
  const window = 300;
  const recommendations: { at: number; value: number }[] = [];
  let lastActive = -Infinity;
  return {
    name: o.name,
    knobs: { hpaSync: "15 s", kedaPolling: "30 s", listLength: o.targetPerDyno, activation: o.activation, cooldown: `${o.cooldownSeconds} s`, stabilization: `${window} s`, max: o.max },
    checkIntervalSeconds: 15,
    reportingDelaySeconds: 1,
    initialQuantity: 0,
    apiReadsPerCheck: 0,
    check(obs: Observation, now: number): number | null {
      const n = obs.quantity;
      const active = obs.depth > o.activation;
      // KEDA's own loop (activation and cooldown) runs every 30 s, the HPA's every 15 s.
      const kedaPoll = Math.floor(now / 15) % 2 === 0;
      if (kedaPoll && active) lastActive = now;
      if (n === 0) return kedaPoll && active ? 1 : null;
      if (kedaPoll && !active && now - lastActive >= o.cooldownSeconds) {
        recommendations.length = 0;
        return 0;
      }
      const ratio = obs.depth / (n * o.targetPerDyno);
      let desired = Math.abs(ratio - 1) <= 0.1 ? n : Math.ceil(obs.depth / o.targetPerDyno);
      desired = Math.min(o.max, Math.max(1, desired));
      recommendations.push({ at: now, value: desired });
      while (recommendations.length > 0 && (recommendations[0]?.at ?? now) < now - window) recommendations.shift();
      if (desired > n) return Math.min(desired, Math.max(2 * n, n + 4));
      let stabilized = 0;
      for (const r of recommendations) stabilized = Math.max(stabilized, r.value);
      stabilized = Math.min(stabilized, n);
      return stabilized < n ? stabilized : null;
    },
  };
}
