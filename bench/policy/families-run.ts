import { ebbflowDefault, jobProfile, type JobProfile } from "@/bench/policy/catalog";
import type { EbbflowMode } from "@/bench/policy/policies/ebbflow";
import type { ProcessRuleInput } from "@/lib/scaling/rules";
import { buildFamilyTrace, type FamilySpec } from "@/bench/policy/families";
import {
  baselineNames,
  baselineSweep,
  compareToBaselines,
  paretoFrontier,
  type BaselineName,
  type Comparison,
  type CostWaitPoint,
} from "@/bench/policy/frontier";
import { defaultSimOptions, simulate } from "@/bench/policy/simulate";

/** Ebbflow's one point on a generated trace. */
export interface EbbflowPoint {
  dollars: number;
  p50: number;
  p95: number;
  p99: number;
  killed: number;
  unfinished: number;
  formationUpdates: number;
  knobs: Record<string, string | number | boolean>;
}

/** Everything measured on one generated trace. */
export interface FamilyOutcome {
  spec: FamilySpec;
  jobs: number;
  horizonDays: number;
  description: string;
  profile: JobProfile;
  ebbflow: EbbflowPoint;
  /** Every baseline setting's point. */
  points: CostWaitPoint[];
  /** Each baseline's Pareto frontier in (dollars, p95), cheapest first. */
  frontiers: Record<BaselineName, CostWaitPoint[]>;
  comparison: Comparison;
  /** The same rule against only the baseline points that killed no job (reported, not the target). */
  comparisonNoKill: Comparison;
  /** `--variants`: Ebbflow with one default changed, each compared with the same points. */
  variants: Array<{ name: string; dollars: number; p95: number; killed: number; comparison: Comparison }>;
  /** Seconds this trace took to build and simulate, in its worker. */
  seconds: number;
}

/** Ebbflow with one default changed (`--variants`): what each part of the default costs here. */
export const familyVariants: ReadonlyArray<{ name: string; rule?: Partial<ProcessRuleInput>; mode?: EbbflowMode; wakeOnEnqueue?: boolean }> = [
  { name: "ebbflow-no-wake", wakeOnEnqueue: false },
  { name: "ebbflow-no-keep-warm", rule: { scaleToZero: { keepWarmAfterStarts: 0 } } },
  { name: "ebbflow-no-growth-prewarm", rule: { prewarm: { growth: false } } },
  { name: "ebbflow-formation", mode: "formation" },
];

/**
 * Builds the recipe's trace and runs Ebbflow's untuned default and every baseline setting on
 * it, all with the same simulation seed (same boots and probe noise), then compares.
 */
export function evaluateFamilyTrace(spec: FamilySpec, withVariants = false): FamilyOutcome {
  const started = performance.now();
  const trace = buildFamilyTrace(spec);
  const profile = jobProfile(trace);
  const options = { ...defaultSimOptions, seed: spec.streamSeed };
  const ebbflowPolicy = ebbflowDefault(trace, profile);
  const e = simulate(trace, ebbflowPolicy, options);
  const ebbflow: EbbflowPoint = {
    dollars: e.dollars,
    p50: e.waitSeconds.p50,
    p95: e.waitSeconds.p95,
    p99: e.waitSeconds.p99,
    killed: e.jobsKilled,
    unfinished: e.unfinishedJobs,
    formationUpdates: e.formationUpdates,
    knobs: { ...ebbflowPolicy.knobs },
  };
  const points: CostWaitPoint[] = baselineSweep(trace, profile).map((setting) => {
    const r = simulate(trace, setting.build(), options);
    return { label: setting.label, baseline: setting.baseline, dollars: r.dollars, p95: r.waitSeconds.p95, p99: r.waitSeconds.p99, killed: r.jobsKilled, unfinished: r.unfinishedJobs };
  });
  const frontiers = Object.fromEntries(
    baselineNames.map((name) => [name, paretoFrontier(points.filter((p) => p.baseline === name && p.unfinished === 0))]),
  ) as Record<BaselineName, CostWaitPoint[]>;
  const variants = (withVariants ? familyVariants : []).map((v) => {
    const r = simulate(trace, ebbflowDefault(trace, profile, { name: v.name, rule: v.rule, mode: v.mode, wakeOnEnqueue: v.wakeOnEnqueue }), options);
    const point = { dollars: r.dollars, p95: r.waitSeconds.p95 };
    return { name: v.name, ...point, killed: r.jobsKilled, comparison: compareToBaselines(point, points) };
  });
  return {
    spec,
    jobs: trace.arrival.length,
    horizonDays: trace.horizonSeconds / 86_400,
    description: trace.description ?? "",
    profile,
    ebbflow,
    points,
    frontiers,
    comparison: compareToBaselines(ebbflow, points),
    comparisonNoKill: compareToBaselines(ebbflow, points.filter((p) => p.killed === 0)),
    variants,
    seconds: (performance.now() - started) / 1000,
  };
}
