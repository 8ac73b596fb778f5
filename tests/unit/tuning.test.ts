import { describe, expect, it } from "vitest";
import { processRuleSchema, type ProcessRuleInput } from "@/lib/scaling/rules";
import { candidateRules, MAX_CANDIDATES } from "@/lib/tuning/candidates";
import { MONTH_SECONDS, proposeRule } from "@/lib/tuning/propose";
import { simulateRule, weightedQuantile } from "@/lib/tuning/simulate";
import { stepSecondsFor } from "@/lib/tuning/tune-from-history";
import { ASSUMED_JOB_SECONDS, buildWorkload, estimateArrivals, estimateJobSeconds, usableRows, type HistoryRow, type Workload } from "@/lib/tuning/workload";

const t0 = Date.UTC(2024, 2, 4); // a Monday, midnight UTC

function rule(over: Partial<ProcessRuleInput> = {}) {
  return processRuleSchema.parse({ processType: "worker", minQuantity: 0, maxQuantity: 10, concurrencyPerDyno: 5, bootSeconds: 30, ...over });
}

/**
 * Recorded checks of a known workload: `arrivalsAt(t)` jobs arrive at second t (spread over it),
 * `slots` workers take them FIFO and finish them at busy ÷ jobSeconds a second. Fluid, run in
 * 0.1 s steps and read every `checkSeconds`, rounded like a probe.
 */
function record(options: { seconds: number; checkSeconds: number; jobSeconds: number; slots: number; arrivalsAt: (t: number) => number; dynos?: number }): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const dt = 0.1;
  let depth = 0;
  let busy = 0;
  for (let t = 0; t < options.seconds; t += 1) {
    const arriving = options.arrivalsAt(t);
    for (let i = 0; i < 10; i += 1) {
      const n = depth + busy - (busy * dt) / options.jobSeconds + arriving * dt;
      busy = Math.min(options.slots, n);
      depth = n - busy;
    }
    if ((t + 1) % options.checkSeconds === 0) {
      rows.push({ atMs: t0 + (t + 1) * 1000, resolution: "raw", depth: Math.round(depth), busy: Math.round(busy), dynos: options.dynos ?? 2 });
    }
  }
  return rows;
}

/** A workload straight from known arrivals per step (no estimation). */
function workload(arrivalsAt: (t: number) => number, options: { seconds: number; stepSeconds?: number; jobSeconds: number; initialDynos?: number }): Workload {
  const step = options.stepSeconds ?? 10;
  const stepStartMs: number[] = [];
  const arrivals: number[] = [];
  for (let t = 0; t < options.seconds; t += step) {
    stepStartMs.push(t0 + t * 1000);
    arrivals.push(arrivalsAt(t));
  }
  return { stepSeconds: step, stepStartMs, arrivals, jobSeconds: options.jobSeconds, initialDynos: options.initialDynos ?? 0 };
}

describe("workload estimator", () => {
  it("recovers a steady arrival rate within 2 %", () => {
    // 0.5 jobs/s of 20 s jobs: about 10 running, never a backlog, for 6 hours.
    const rows = record({ seconds: 6 * 3600, checkSeconds: 10, jobSeconds: 20, slots: 50, arrivalsAt: () => 0.5 });
    const segments = estimateArrivals(rows, { checkIntervalSeconds: 10, jobSeconds: 20, concurrencyPerDyno: 5 });
    const total = segments.reduce((sum, s) => sum + s.arrivals, 0);
    const seconds = (segments[segments.length - 1]!.endMs - segments[0]!.startMs) / 1000;
    expect(total / seconds).toBeGreaterThan(0.49);
    expect(total / seconds).toBeLessThan(0.51);
  });

  it("recovers the arrivals of bursts that queue up, counting the backlog once", () => {
    // 200 jobs every 10 minutes onto 10 slots of 30 s jobs: a backlog that drains in 10 min.
    const rows = record({ seconds: 6 * 3600, checkSeconds: 10, jobSeconds: 30, slots: 10, arrivalsAt: (t) => (t % 600 === 0 ? 200 : 0) });
    const segments = estimateArrivals(rows, { checkIntervalSeconds: 10, jobSeconds: 30, concurrencyPerDyno: 5 });
    const total = segments.reduce((sum, s) => sum + s.arrivals, 0);
    expect(total).toBeGreaterThan(36 * 200 * 0.97);
    expect(total).toBeLessThan(36 * 200 * 1.03);
  });

  it("estimates the job time from checks where the queue drained, and assumes one without them", () => {
    const bursty = record({ seconds: 6 * 3600, checkSeconds: 10, jobSeconds: 40, slots: 10, arrivalsAt: (t) => (t % 900 === 0 ? 100 : 0) });
    const estimate = estimateJobSeconds(bursty, 10);
    expect(estimate.source).toBe("estimated");
    expect(estimate.seconds).toBeGreaterThan(40 * 0.85);
    expect(estimate.seconds).toBeLessThan(40 * 1.15);

    const flat = record({ seconds: 3600, checkSeconds: 10, jobSeconds: 40, slots: 10, arrivalsAt: () => 0 });
    expect(estimateJobSeconds(flat, 10)).toEqual({ seconds: ASSUMED_JOB_SECONDS, source: "assumed", intervals: 0 });
  });

  it("prefers raw checks over a per-minute roll-up of the same minute and drops hourly roll-ups", () => {
    const rows: HistoryRow[] = [
      { atMs: t0, resolution: "hour", depth: 9, busy: 9, dynos: 9 },
      { atMs: t0 + 3600_000, resolution: "minute", depth: 5, busy: 1, dynos: 1 },
      { atMs: t0 + 3660_000, resolution: "minute", depth: 5, busy: 1, dynos: 1 },
      { atMs: t0 + 3670_000, resolution: "raw", depth: 1, busy: 1, dynos: 1 },
    ];
    expect(usableRows(rows).map((r) => r.resolution)).toEqual(["minute", "raw"]);
  });

  it("spreads arrivals over the simulated steps, leaving gaps in history out", () => {
    const built = buildWorkload(
      [
        { startMs: t0, endMs: t0 + 60_000, arrivals: 6, resolution: "minute" },
        { startMs: t0 + 3600_000, endMs: t0 + 3610_000, arrivals: 3, resolution: "raw" },
      ],
      { stepSeconds: 30, jobSeconds: 10, initialDynos: 0 },
    );
    expect(built.stepStartMs).toEqual([t0, t0 + 30_000, t0 + 3600_000]);
    expect(built.arrivals).toEqual([3, 3, 3]);
  });

  it("coarsens the simulated step for long histories", () => {
    expect(stepSecondsFor(2 * 86_400, 2)).toBe(10);
    expect(stepSecondsFor(7 * 86_400, 10)).toBe(30);
    expect(stepSecondsFor(3600, 60)).toBe(60);
  });
});

describe("simulator", () => {
  it("takes the p95 of weighted waits", () => {
    expect(weightedQuantile([{ seconds: 0, weight: 95 }, { seconds: 100, weight: 5 }], 0.95)).toBe(0);
    expect(weightedQuantile([{ seconds: 0, weight: 94 }, { seconds: 100, weight: 6 }], 0.95)).toBe(100);
    expect(weightedQuantile([], 0.95)).toBe(0);
  });

  it("bills a steady formation for exactly the time it runs", () => {
    const result = simulateRule(rule({ minQuantity: 2, maxQuantity: 2 }), workload(() => 0, { seconds: 3600, jobSeconds: 10, initialDynos: 2 }));
    expect(result.dynoSeconds).toBe(2 * 3600);
    expect(result.p95WaitSeconds).toBe(0);
  });

  it("a rule that keeps more dynos costs more and waits less", () => {
    // 20 jobs every 15 minutes: scale-to-zero boots a dyno for each burst.
    const work = workload((t) => (t % 900 === 0 ? 20 : 0), { seconds: 6 * 3600, jobSeconds: 20 });
    const lean = simulateRule(rule({ minQuantity: 0, scaleToZero: { keepWarmAfterStarts: 0 } }), work);
    const kept = simulateRule(rule({ minQuantity: 2 }), work);
    expect(kept.dynoSeconds).toBeGreaterThan(lean.dynoSeconds);
    expect(kept.p95WaitSeconds).toBeLessThan(lean.p95WaitSeconds);
    // Starting from zero, a burst waits at least the boot.
    expect(lean.p95WaitSeconds).toBeGreaterThanOrEqual(30);
    expect(kept.p95WaitSeconds).toBeLessThan(30);
  });

  it("serves a load beyond the maximum's capacity with a growing wait", () => {
    // 2 jobs/s of 10 s jobs need 20 slots; the maximum allows 5.
    const result = simulateRule(rule({ minQuantity: 1, maxQuantity: 1 }), workload(() => 20, { seconds: 3600, jobSeconds: 10, initialDynos: 1 }));
    expect(result.p95WaitSeconds).toBeGreaterThan(1000);
    expect(result.jobs).toBeCloseTo(7200, 5);
  });
});

describe("proposal", () => {
  it("offers at most 40 valid candidates, the customer's rule first", () => {
    const current = rule();
    const candidates = candidateRules(current);
    expect(candidates.length).toBeLessThanOrEqual(MAX_CANDIDATES);
    expect(candidates[0]).toEqual(current);
    for (const c of candidates) {
      expect(processRuleSchema.parse(c)).toEqual(c);
      expect(c.waitTargetSeconds).toBe(current.waitTargetSeconds);
      expect([c.minQuantity, c.maxQuantity, c.concurrencyPerDyno, c.bootSeconds]).toEqual([0, 10, 5, 30]);
    }
    // A minimum above zero: idle and keep-warm cannot matter, so they are not varied.
    expect(candidateRules(rule({ minQuantity: 1 })).length).toBe(10);
  });

  it("proposes the cheapest candidate that meets the wait target when one can", () => {
    // A burst every 4 minutes; the customer's rule scales to zero after 30 s and boots for each.
    const current = rule({ waitTargetSeconds: 20, scaleToZero: { idleSeconds: 30, keepWarmAfterStarts: 0 }, downscale: { delaySeconds: 30 } });
    const work = workload((t) => (t % 240 === 0 ? 10 : 0), { seconds: 12 * 3600, jobSeconds: 10 });
    const proposal = proposeRule(current, work);
    expect(proposal.current.meetsTarget).toBe(false);
    expect(proposal.meetsTarget).toBe(true);
    expect(proposal.proposed.p95WaitSeconds).toBeLessThanOrEqual(20);
    expect(proposal.unchanged).toBe(false);
    // No candidate that meets the target is cheaper.
    for (const candidate of candidateRules(current)) {
      const result = simulateRule(candidate, work);
      if (result.p95WaitSeconds <= 20) {
        expect(Math.round(result.dynoSeconds * (MONTH_SECONDS / result.coveredSeconds) * (25 / (720 * 3600)) * 100)).toBeGreaterThanOrEqual(
          Math.round(proposal.proposed.monthlyDollars * 100),
        );
      }
    }
    // Standard-1X at $25 for 30 days: a dyno running all month costs $25.
    expect(proposal.proposed.monthlyDollars).toBeCloseTo(proposal.proposed.meanDynos * 25, 6);
  });

  it("keeps the customer's rule when it is already the cheapest that meets the target", () => {
    const proposal = proposeRule(rule({ minQuantity: 1, maxQuantity: 1 }), workload(() => 0, { seconds: 3600, jobSeconds: 10, initialDynos: 1 }));
    expect(proposal.unchanged).toBe(true);
    expect(proposal.meetsTarget).toBe(true);
    expect(proposal.proposed).toEqual(proposal.current);
  });

  it("says when no candidate meets the target and proposes the one that waits least", () => {
    const current = rule({ maxQuantity: 1, waitTargetSeconds: 5 });
    const work = workload((t) => (t % 300 === 0 ? 50 : 0), { seconds: 6 * 3600, jobSeconds: 30 });
    const proposal = proposeRule(current, work);
    expect(proposal.meetsTarget).toBe(false);
    expect(proposal.proposed.meetsTarget).toBe(false);
    const least = Math.min(...candidateRules(current).map((c) => simulateRule(c, work).p95WaitSeconds));
    expect(proposal.proposed.p95WaitSeconds).toBe(least);
  });

  it("prices the process type's dyno size", () => {
    const work = workload(() => 0, { seconds: 3600, jobSeconds: 10, initialDynos: 1 });
    const standard = proposeRule(rule({ minQuantity: 1 }), work);
    const performance = proposeRule(rule({ minQuantity: 1, dynoSize: "performance-m" }), work);
    expect(standard.current.monthlyDollars).toBeCloseTo(25, 6);
    expect(performance.current.monthlyDollars).toBeCloseTo(250, 6);
  });
});
