import type { JobProfile } from "@/bench/policy/catalog";
import type { SimPolicy } from "@/bench/policy/policy";
import { autoscalerGemPolicy } from "@/bench/policy/policies/autoscaler-gem";
import { hirefireLatencyPolicy, hirefireRatioPolicy } from "@/bench/policy/policies/hirefire";
import { judoscalePolicy } from "@/bench/policy/policies/judoscale";
import { kedaHpaPolicy } from "@/bench/policy/policies/keda-hpa";
import { staticPolicy } from "@/bench/policy/policies/static";
import type { Trace } from "@/bench/policy/trace";

/**
 * Frontiers, not points: each baseline swept across its documented knob range, and the rule
 * that compares Ebbflow's one untuned point with every baseline point.
 */

export const baselineNames = ["hirefire-ratio", "hirefire-latency", "judoscale", "autoscaler-gem", "keda-hpa", "static"] as const;
export type BaselineName = (typeof baselineNames)[number];

/** One setting of one baseline. */
export interface SweepSetting {
  baseline: BaselineName;
  /** Short and unique within the trace, e.g. `hirefire-ratio 15s r10`. */
  label: string;
  build: () => SimPolicy;
}

/** The knob ranges swept (documented in RESULTS.md, "Generated families"). */
export const sweepRanges = {
  hirefireRatio: { checkupSeconds: [15, 60], ratioTimesConcurrency: [0.5, 1, 2, 4], decrementable: [false, true] },
  hirefireLatency: { checkupSeconds: [15, 60], maxLatencySeconds: [10, 30, 60, 120, 300] },
  judoscale: { upperSeconds: [5, 15, 30, 60, 120], downscaleDelaySeconds: [60, 300, 600, 1800] },
  autoscalerGem: { idleTimeoutSeconds: [10, 30, 60, 120, 300, 900], capacityTimesConcurrency: [1, 2] },
  kedaHpa: { targetTimesConcurrency: [0.5, 1, 2], cooldownSeconds: [30, 60, 300, 900] },
  /** Static formations 1..peak; past this many, a spread of them including 1 and the peak. */
  staticMaxPoints: 12,
} as const;

/** The static quantities swept: every one up to the peak, or an even spread of 12 when the peak is higher. */
export function staticQuantities(peak: number): number[] {
  const max = sweepRanges.staticMaxPoints;
  if (peak <= max) return Array.from({ length: peak }, (_, i) => i + 1);
  const out = new Set<number>();
  for (let i = 0; i < max; i++) out.add(Math.round(1 + ((peak - 1) * i) / (max - 1)));
  return [...out].sort((a, b) => a - b);
}

/** Every baseline setting for a trace; the knobs not swept keep the catalog's values. */
export function baselineSweep(trace: Trace, profile: JobProfile): SweepSetting[] {
  const c = trace.concurrency;
  const max = profile.peakNeed;
  const settings: SweepSetting[] = [];
  const r = sweepRanges;
  const seen = new Set<string>();
  const add = (baseline: BaselineName, label: string, build: () => SimPolicy): void => {
    if (seen.has(label)) return; // small concurrency folds some multipliers together
    seen.add(label);
    settings.push({ baseline, label, build });
  };
  for (const checkup of r.hirefireRatio.checkupSeconds) {
    for (const times of r.hirefireRatio.ratioTimesConcurrency) {
      const ratio = Math.max(1, Math.round(c * times));
      for (const decrementable of r.hirefireRatio.decrementable) {
        const label = `hirefire-ratio ${checkup}s ratio ${ratio}${decrementable ? " decr" : ""}`;
        add("hirefire-ratio", label, () =>
          hirefireRatioPolicy({ name: label, checkIntervalSeconds: checkup, ratio, min: 0, max, decrementable, limit: 0 }),
        );
      }
    }
  }
  for (const checkup of r.hirefireLatency.checkupSeconds) {
    for (const upper of r.hirefireLatency.maxLatencySeconds) {
      const lower = Math.max(1, Math.round(upper / 6));
      const label = `hirefire-latency ${checkup}s ${lower}–${upper}s`;
      add("hirefire-latency", label, () =>
        hirefireLatencyPolicy({ name: label, checkIntervalSeconds: checkup, minLatencySeconds: lower, maxLatencySeconds: upper, min: 0, max }),
      );
    }
  }
  for (const upper of r.judoscale.upperSeconds) {
    for (const delay of r.judoscale.downscaleDelaySeconds) {
      const lower = Math.max(1, Math.round(upper / 6));
      const label = `judoscale ${lower}–${upper}s delay ${delay}s`;
      add("judoscale", label, () =>
        judoscalePolicy({
          name: label,
          upperSeconds: upper,
          lowerSeconds: lower,
          jump: 1,
          upscaleCooldownSeconds: trace.bootSeconds + 15,
          downscaleDelaySeconds: delay,
          min: 0,
          max,
        }),
      );
    }
  }
  for (const idle of r.autoscalerGem.idleTimeoutSeconds) {
    for (const times of r.autoscalerGem.capacityTimesConcurrency) {
      const capacity = Math.max(1, Math.round(c * times));
      const label = `autoscaler-gem idle ${idle}s capacity ${capacity}`;
      add("autoscaler-gem", label, () => autoscalerGemPolicy({ name: label, capacityPerDyno: capacity, concurrency: c, idleTimeoutSeconds: idle, max }));
    }
  }
  for (const times of r.kedaHpa.targetTimesConcurrency) {
    const target = Math.max(1, Math.round(c * times));
    for (const cooldown of r.kedaHpa.cooldownSeconds) {
      const label = `keda-hpa target ${target} cooldown ${cooldown}s`;
      add("keda-hpa", label, () => kedaHpaPolicy({ name: label, targetPerDyno: target, activation: 0, cooldownSeconds: cooldown, max }));
    }
  }
  for (const quantity of staticQuantities(max)) {
    const label = `static ${quantity}`;
    add("static", label, () => staticPolicy(label, quantity));
  }
  return settings;
}

/** A measured point: what one setting cost and how long its jobs waited. */
export interface CostWaitPoint {
  label: string;
  baseline: string;
  dollars: number;
  p95: number;
  /** Not compared; shown beside p95, since p95 alone cannot see the slowest 5 % of jobs. */
  p99: number;
  killed: number;
  /** Jobs not finished by the end of the run; a point with any is not comparable. */
  unfinished: number;
}

/**
 * The Pareto frontier in (dollars, p95 wait), both lower-is-better: the points no other point
 * matches or beats on both with one strictly better. Sorted by cost (so p95 falls along it);
 * of exact duplicates the first is kept.
 */
export function paretoFrontier<P extends Pick<CostWaitPoint, "dollars" | "p95">>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.dollars - b.dollars || a.p95 - b.p95);
  const frontier: P[] = [];
  let bestWait = Infinity;
  for (const point of sorted) {
    if (point.p95 < bestWait) {
      frontier.push(point);
      bestWait = point.p95;
    }
  }
  return frontier;
}

/** How Ebbflow's point stands against every baseline point of a trace. */
export type Comparison =
  | {
      kind: "compared";
      /** The cheapest baseline point whose p95 wait is no longer than Ebbflow's. */
      point: CostWaitPoint;
      /** Ebbflow's dollars ÷ that point's (target ≤ 0.8). */
      ratio: number;
    }
  | {
      kind: "dominates";
      /** No baseline point waits as little: the one that waits least (the cheaper on a tie), for reference. */
      nearest: CostWaitPoint | null;
      /** Ebbflow's dollars ÷ the nearest point's, for reference only. */
      ratioToNearest: number | null;
    };

export const ratioTarget = 0.8;

/**
 * The comparison rule: among baseline points that finished every job, the cheapest whose p95
 * wait is ≤ Ebbflow's (the lower p95 on a cost tie); the ratio is Ebbflow's cost over its cost.
 * If no point waits that little, Ebbflow dominates and the nearest point is the one that waits least.
 */
export function compareToBaselines(ebbflow: { dollars: number; p95: number }, points: readonly CostWaitPoint[]): Comparison {
  const eligible = points.filter((p) => p.unfinished === 0);
  let cheapest: CostWaitPoint | null = null;
  let nearest: CostWaitPoint | null = null;
  for (const p of eligible) {
    if (p.p95 <= ebbflow.p95 && (cheapest === null || p.dollars < cheapest.dollars || (p.dollars === cheapest.dollars && p.p95 < cheapest.p95))) {
      cheapest = p;
    }
    if (nearest === null || p.p95 < nearest.p95 || (p.p95 === nearest.p95 && p.dollars < nearest.dollars)) nearest = p;
  }
  const ratio = (d: number): number => (d > 0 ? ebbflow.dollars / d : Infinity);
  if (cheapest !== null) return { kind: "compared", point: cheapest, ratio: ratio(cheapest.dollars) };
  return { kind: "dominates", nearest, ratioToNearest: nearest === null ? null : ratio(nearest.dollars) };
}

/** Whether a comparison meets a ratio bound; Ebbflow dominating meets every bound. */
export function meets(comparison: Comparison, bound: number): boolean {
  return comparison.kind === "dominates" || comparison.ratio <= bound;
}
