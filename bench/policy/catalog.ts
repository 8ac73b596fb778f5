import type { SimPolicy } from "@/bench/policy/policy";
import { autoscalerGemPolicy } from "@/bench/policy/policies/autoscaler-gem";
import { ebbflowPolicy, type EbbflowMode } from "@/bench/policy/policies/ebbflow";
import { hirefireLatencyPolicy, hirefireRatioPolicy } from "@/bench/policy/policies/hirefire";
import { judoscalePolicy } from "@/bench/policy/policies/judoscale";
import { kedaHpaPolicy } from "@/bench/policy/policies/keda-hpa";
import { staticPolicy } from "@/bench/policy/policies/static";
import { maxDynosFor } from "@/bench/policy/prices";
import type { Trace } from "@/bench/policy/trace";
import type { ProcessRuleInput } from "@/lib/scaling/rules";

/** What the baselines' documented advice depends on: the trace's job profile. */
export interface JobProfile {
  /** Dynos that would run every job the moment it arrives (Heroku's cap applied). */
  peakNeed: number;
  medianDurationSeconds: number;
  /** The wait a user of this workload tolerates; latency thresholds are set from it. */
  acceptableWaitSeconds: number;
}

export function jobProfile(trace: Trace): JobProfile {
  const n = trace.arrival.length;
  const ends = Float64Array.from(trace.arrival.map((t, i) => t + (trace.duration[i] as number))).sort();
  let running = 0;
  let peak = 0;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const t = trace.arrival[i] as number;
    while (e < n && (ends[e] as number) <= t) {
      running--;
      e++;
    }
    running++;
    peak = Math.max(peak, running);
  }
  const durations = Float64Array.from(trace.duration).sort();
  const median = n > 0 ? (durations[Math.floor(n / 2)] as number) : 0;
  return {
    peakNeed: Math.max(1, Math.min(maxDynosFor(trace.dynoSize), Math.ceil(peak / trace.concurrency))),
    medianDurationSeconds: median,
    // Jobs of seconds: a user notices half a minute. Jobs of many minutes: a minute or two is noise.
    acceptableWaitSeconds: median < 60 ? 30 : median < 600 ? 60 : 120,
  };
}

/** The standard plan's check interval; the pro plan checks every 2 s. */
export const standardIntervalSeconds = 10;

/**
 * The mode the `ebbflow` row runs: formation with quiet-then-drop, what a customer gets once
 * the source may quiet dynos. The plain formation mode (no quieting) is `ebbflow-formation`.
 */
export const defaultMode: EbbflowMode = "quiet";

/**
 * Ebbflow's default as a customer gets it on the standard plan: min 0, max, and the two facts
 * about the dyno (jobs it runs at once, seconds it takes to boot); every other knob default.
 */
export function ebbflowDefault(
  trace: Trace,
  profile: JobProfile,
  overrides: { name?: string; rule?: Partial<ProcessRuleInput>; intervalSeconds?: number; seesBusyDynos?: boolean; mode?: EbbflowMode; wakeOnEnqueue?: boolean } = {},
): SimPolicy {
  return ebbflowPolicy({
    name: overrides.name ?? "ebbflow",
    rule: {
      processType: "worker",
      minQuantity: 0,
      maxQuantity: profile.peakNeed,
      concurrencyPerDyno: trace.concurrency,
      bootSeconds: trace.bootSeconds,
      dynoSize: trace.dynoSize,
      jobSeconds: profile.medianDurationSeconds,
      ...overrides.rule,
    },
    checkIntervalSeconds: overrides.intervalSeconds ?? standardIntervalSeconds,
    reportingDelaySeconds: 1,
    startMs: trace.startMs,
    seesBusyDynos: overrides.seesBusyDynos ?? true,
    mode: overrides.mode ?? defaultMode,
    dynoSize: trace.dynoSize,
    wakeOnEnqueue: overrides.wakeOnEnqueue ?? true,
  });
}

/**
 * Ebbflow with one default changed at a time (`--variants`): what each part of the default
 * policy is worth, measured rather than asserted. Not compared in the target.
 */
export const ebbflowVariants: ReadonlyArray<(trace: Trace, profile: JobProfile) => SimPolicy> = [
  (t, p) => ebbflowDefault(t, p, { name: "ebbflow-pro-2s", intervalSeconds: 2 }),
  (t, p) => ebbflowDefault(t, p, { name: "ebbflow-no-wake", wakeOnEnqueue: false }),
  (t, p) => ebbflowDefault(t, p, { name: "ebbflow-busy-count-only", seesBusyDynos: false }),
  (t, p) =>
    ebbflowDefault(t, p, { name: "ebbflow-busy-count-floor", seesBusyDynos: false, rule: { downscale: { whenBusyDynosUnknown: "count" } } }),
  (t, p) => ebbflowDefault(t, p, { name: "ebbflow-no-keep-warm", rule: { scaleToZero: { keepWarmAfterStarts: 0 } } }),
  (t, p) => ebbflowDefault(t, p, { name: "ebbflow-no-growth-prewarm", rule: { prewarm: { growth: false } } }),
  (t, p) => ebbflowDefault(t, p, { name: "ebbflow-last-week-prewarm", rule: { prewarm: { lastWeek: true } } }),
  (t, p) => ebbflowDefault(t, p, { name: "ebbflow-delay-180s", rule: { downscale: { delaySeconds: 180 } } }),
];

/** Every policy the benchmark compares, each with its knobs set from the job profile. */
export function policiesFor(trace: Trace, profile: JobProfile): Array<() => SimPolicy> {
  const c = trace.concurrency;
  const max = profile.peakNeed;
  const upper = profile.acceptableWaitSeconds;
  const lower = Math.round(upper / 6);
  return [
    () => ebbflowDefault(trace, profile),
    () => ebbflowDefault(trace, profile, { name: "ebbflow-quiet", mode: "quiet" }),
    () => ebbflowDefault(trace, profile, { name: "ebbflow-one-off", mode: "one-off" }),
    () => ebbflowDefault(trace, profile, { name: "ebbflow-formation", mode: "formation" }),
    () => hirefireRatioPolicy({ name: "hirefire-ratio-60s", checkIntervalSeconds: 60, ratio: c, min: 0, max, decrementable: false, limit: 0 }),
    () => hirefireRatioPolicy({ name: "hirefire-ratio-15s", checkIntervalSeconds: 15, ratio: c, min: 0, max, decrementable: false, limit: 0 }),
    () => hirefireLatencyPolicy({ name: "hirefire-latency", checkIntervalSeconds: 60, minLatencySeconds: lower, maxLatencySeconds: upper, min: 0, max }),
    () =>
      judoscalePolicy({
        name: "judoscale",
        upperSeconds: upper,
        lowerSeconds: lower,
        jump: 1,
        upscaleCooldownSeconds: trace.bootSeconds + 15,
        downscaleDelaySeconds: 600,
        min: 0,
        max,
      }),
    () => autoscalerGemPolicy({ name: "autoscaler-gem", capacityPerDyno: c, concurrency: c, idleTimeoutSeconds: 60, max }),
    () => kedaHpaPolicy({ name: "keda-hpa", targetPerDyno: c, activation: 0, cooldownSeconds: 300, max }),
    () => staticPolicy("static-peak", max),
    () => staticPolicy("static-1", 1),
  ];
}
