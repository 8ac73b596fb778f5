import { describe, expect, it } from "vitest";
import type { Observation, SimPolicy } from "@/bench/policy/policy";
import { staticPolicy } from "@/bench/policy/policies/static";
import { dollarsPerSecond } from "@/bench/policy/prices";
import { defaultSimOptions, formationUpdateSeconds, percentile, simulate, shutdownGraceSeconds } from "@/bench/policy/simulate";
import { parseTrace, type Trace } from "@/bench/policy/trace";

function trace(jobs: Array<[number, number]>, dyno: { concurrency?: number; boot_seconds?: number } = {}, horizon = 3600): Trace {
  const header = { name: "t", dyno: { size: "standard-1x", concurrency: dyno.concurrency ?? 1, boot_seconds: dyno.boot_seconds ?? 30 }, horizon_seconds: horizon };
  return parseTrace([JSON.stringify(header), ...jobs.map(([t, d]) => JSON.stringify({ t, queue: "default", duration: d }))].join("\n"), "t");
}

const exact = { ...defaultSimOptions, bootJitter: 0, depthNoise: 0, latencyNoiseSeconds: 0 };

/** A policy that sets scripted quantities at given times (checks every second). */
function scripted(plan: Array<[number, number]>, initial = 0): SimPolicy {
  return {
    name: "scripted",
    knobs: {},
    checkIntervalSeconds: 1,
    reportingDelaySeconds: 0,
    initialQuantity: initial,
    apiReadsPerCheck: 0,
    check: (_o: Observation, now: number) => {
      const step = plan.find(([at]) => Math.abs(at - now) < 0.5);
      return step ? step[1] : null;
    },
  };
}

describe("simulate", () => {
  it("bills a fixed formation per second for the whole horizon", () => {
    const r = simulate(trace([[10, 5]]), staticPolicy("static", 2), exact);
    expect(r.dynoSeconds).toBe(7200);
    expect(r.dollars).toBeCloseTo(7200 * dollarsPerSecond("standard-1x"), 10);
    expect(r.waitSeconds.max).toBe(0);
    expect(r.formationUpdates).toBe(0);
  });

  it("queues FIFO when slots are full", () => {
    const r = simulate(trace([[0, 10], [0, 10], [1, 10]]), staticPolicy("static", 1), exact);
    expect(r.waitSeconds.max).toBeCloseTo(19, 6); // third job: arrives at 1, starts at 20
    expect(r.waitSeconds.p50).toBeCloseTo(10, 6);
  });

  it("fetches queues in strict priority when the trace gives priorities, oldest first otherwise", () => {
    // One slot, busy until t = 10; a low job waits from t = 1, a high one from t = 2.
    const header = { name: "p", dyno: { size: "standard-1x", concurrency: 1, boot_seconds: 30 }, horizon_seconds: 3600 };
    const lines = [
      JSON.stringify(header),
      JSON.stringify({ t: 0, queue: "low", duration: 10 }),
      JSON.stringify({ t: 1, queue: "low", duration: 10 }),
      JSON.stringify({ t: 2, queue: "high", duration: 10 }),
    ];
    const fifo = parseTrace(lines.join("\n"), "p");
    // Oldest first: the low job runs at 10 (waited 9), the high one at 20 (waited 18).
    expect(simulate(fifo, staticPolicy("static", 1), exact).waitSeconds.max).toBe(18);
    const strict: Trace = { ...fifo, queuePriority: [1, 2] }; // queues in order of appearance: low, high
    // Strict priority: the high job runs at 10 (waited 8), the low one at 20 (waited 19).
    expect(simulate(strict, staticPolicy("static", 1), exact).waitSeconds.max).toBe(19);
  });

  it("boots new dynos after the boot time, counting the update latency", () => {
    const r = simulate(trace([[5, 10]], { boot_seconds: 30 }), scripted([[6, 1]]), exact);
    expect(r.waitSeconds.max).toBeCloseTo(1 + formationUpdateSeconds + 30, 6);
    expect(r.formationUpdates).toBe(1);
    expect(r.unfinishedJobs).toBe(0);
  });

  it("lets a job finish within the grace, and kills and reruns one that cannot", () => {
    const short = simulate(trace([[0, 20]]), scripted([[5, 0], [100, 1]], 1), exact);
    expect(short.jobsKilled).toBe(0);
    const long = simulate(trace([[0, 100]]), scripted([[5, 0], [100, 1]], 1), exact);
    expect(long.jobsKilled).toBe(1);
    expect(long.unfinishedJobs).toBe(0);
    // Killed at 5 + update + grace, waits until the dyno asked for at 100 boots, then reruns in full.
    expect(long.waitSeconds.max).toBeCloseTo(100 + formationUpdateSeconds + 30 - (5 + formationUpdateSeconds + shutdownGraceSeconds), 6);
  });

  it("stops only the dynos the update removes, killing only their jobs", () => {
    // Two long jobs fill both dynos; scaling 2 → 1 kills the one on dyno 2 and no other.
    const r = simulate(trace([[0, 500], [0, 500]], { concurrency: 1 }), scripted([[10, 1]], 2), exact);
    expect(r.jobsKilled).toBe(1);
    expect(r.unfinishedJobs).toBe(0);
  });

  it("gives the same result for the same seed", () => {
    const t = trace(Array.from({ length: 200 }, (_, i): [number, number] => [i * 7, 20 + (i % 13)]), { concurrency: 2 });
    const run = () => simulate(t, scripted([[50, 3], [400, 1], [900, 4]]), { ...defaultSimOptions, seed: 7 });
    expect(run()).toEqual(run());
  });
});

describe("percentile", () => {
  it("uses the nearest rank", () => {
    const values = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(new Float64Array(0), 95)).toBe(0);
  });
});

describe("the enqueue wake", () => {
  /** Starts one dyno on any backlog, checks every 10 s: what a wake changes is when it looks. */
  const onBacklog = (wake: boolean): SimPolicy => ({
    name: "on-backlog",
    knobs: {},
    checkIntervalSeconds: 10,
    reportingDelaySeconds: 0,
    initialQuantity: 0,
    apiReadsPerCheck: 0,
    wakeOnEnqueue: wake ? { latencySeconds: 1, minGapSeconds: 5, knownAfterSeconds: 10 } : undefined,
    check: (o: Observation) => (o.depth > 0 && o.quantity === 0 ? 1 : null),
  });

  it("checks a second after a job is pushed to a formation at zero, instead of at the next interval", () => {
    // The job arrives at 101: the 110 s check would see it; the wake looks at 102.
    const t = trace([[101, 5]], { boot_seconds: 30 });
    const woken = simulate(t, onBacklog(true), exact);
    const plain = simulate(t, onBacklog(false), exact);
    expect(woken.wakes).toBe(1);
    expect(woken.waitSeconds.max).toBeCloseTo(1 + formationUpdateSeconds + 30, 6);
    expect(plain.wakes).toBe(0);
    expect(plain.waitSeconds.max).toBeCloseTo(9 + formationUpdateSeconds + 30, 6);
  });

  it("sends at most one wake per gap, and none before the agent can know the formation is at zero", () => {
    // Three pushes within 5 s: one wake. From the start the formation has been at zero for
    // 10 s only at t = 10, so a push at 3 wakes nothing and waits for the 10 s check.
    const burst = simulate(trace([[101, 5], [102, 5], [104, 5]], { concurrency: 3 }), onBacklog(true), exact);
    expect(burst.wakes).toBe(1);
    const early = simulate(trace([[3, 5]]), onBacklog(true), exact);
    expect(early.wakes).toBe(0);
    expect(early.waitSeconds.max).toBeCloseTo(7 + formationUpdateSeconds + 30, 6);
  });
});

describe("the check on a quiet idle dyno", () => {
  /** Two dynos up; quiets dyno 2 at the first check, drops it at the first check that sees it quiet. */
  const quietThenDrop = (checkOnQuietIdle: boolean): SimPolicy => {
    let asked = false;
    return {
      name: "quiet-then-drop",
      knobs: {},
      checkIntervalSeconds: 10,
      reportingDelaySeconds: 0,
      initialQuantity: 2,
      apiReadsPerCheck: 0,
      checkOnQuietIdle: checkOnQuietIdle ? { latencySeconds: 1 } : undefined,
      check: (o: Observation) => {
        if (o.quantity === 1) return null;
        if (o.dynos.some((d) => d.dyno === 2 && d.quiet && d.busy === 0)) return 1;
        if (asked) return null;
        asked = true;
        return { quantity: null, quiet: [2] };
      },
    };
  };

  it("drops the dyno a second after it goes quiet instead of at the next check", () => {
    const t = trace([], {}, 600);
    const options = { ...exact, seed: 7 };
    const soon = simulate(t, quietThenDrop(true), options);
    const later = simulate(t, quietThenDrop(false), options);
    // The same quiet moment (same seed): with the check on quiet, dyno 2 is billed until
    // quiet + 1 s + the formation update; without, until the next 10 s check + the update.
    expect(soon.formationUpdates).toBe(1);
    expect(later.formationUpdates).toBe(1);
    expect(soon.dynoSeconds).toBeLessThan(later.dynoSeconds - 1);
    expect(later.dynoSeconds - soon.dynoSeconds).toBeLessThanOrEqual(10);
  });
});
