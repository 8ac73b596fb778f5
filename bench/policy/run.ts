import { jobProfile, policiesFor, type JobProfile } from "@/bench/policy/catalog";
import type { Knobs, SimPolicy } from "@/bench/policy/policy";
import { defaultSimOptions, simulate, type SimResult } from "@/bench/policy/simulate";
import type { Trace } from "@/bench/policy/trace";

export interface PolicyRun {
  result: SimResult;
  knobs: Knobs;
}

export interface TraceRun {
  trace: Trace;
  profile: JobProfile;
  runs: PolicyRun[];
}

/** Runs every policy over one trace with the same seed (same arrivals, boots and noise draws). */
export function runTrace(
  trace: Trace,
  seed: number,
  extra: ReadonlyArray<(trace: Trace, profile: JobProfile) => SimPolicy> = [],
): TraceRun {
  const profile = jobProfile(trace);
  const builds = [...policiesFor(trace, profile), ...extra.map((make) => () => make(trace, profile))];
  const runs = builds.map((build) => {
    const policy = build();
    return { result: simulate(trace, policy, { ...defaultSimOptions, seed }), knobs: policy.knobs };
  });
  return { trace, profile, runs };
}
