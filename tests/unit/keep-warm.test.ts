import { describe, expect, it } from "vitest";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import { keepWarmVerdict } from "@/lib/scaling/keep-warm";
import { prewarmNotWorth } from "@/lib/scaling/prewarm";
import { processRuleSchema, type ProcessRuleInput } from "@/lib/scaling/rules";
import type { ProcessHistory } from "@/lib/scaling/types";

const t0 = Date.UTC(2024, 2, 5, 12);
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const now = at(0);

const rule = (over: Partial<ProcessRuleInput> = {}) =>
  processRuleSchema.parse({ processType: "worker", minQuantity: 0, maxQuantity: 10, concurrencyPerDyno: 4, bootSeconds: 60, ...over });

/** Three starts in the last hour, each after `idle` seconds without work, each bringing `jobs`. */
function history(idle: number, jobs: number, count = 3): ProcessHistory {
  const workStarts = Array.from({ length: count }, (_, i) => at(-3000 + i * 900));
  return {
    ...emptyHistory(1),
    lastWorkAt: at(-20),
    workStarts,
    workStartIdleSeconds: workStarts.map(() => idle),
    workStartLoads: workStarts.map(() => jobs),
  };
}

describe("keep-warm weighs the dyno's price against the wait it saves", () => {
  it("keeps warm when that is cheaper than going to zero and booting again", () => {
    const verdict = keepWarmVerdict(rule({ dynoSize: "performance-l" }), history(50, 1), 10, now);
    expect(verdict).toMatchObject({ keepWarm: true, idleWait: 100 });
    expect(verdict.note).toContain("cheaper than scaling to zero and booting again");
  });

  it("does not keep warm when a cold start is within the wait target", () => {
    const verdict = keepWarmVerdict(rule({ bootSeconds: 15, waitTargetSeconds: 60 }), history(300, 10), 10, now);
    expect(verdict.keepWarm).toBe(false);
    expect(verdict.note).toContain("a cold start (boot + check 25 s) is within the target");
  });

  it("does not keep a performance dyno warm for one job every few minutes, but keeps a standard one for bursts", () => {
    // Three 200 s idle gaps, boot 60 s: covering them takes 210 s warm, 330 s an hour more than
    // zero and a boot; a cold start is 70 s, one job each: 210 s of waiting saved.
    const pricey = keepWarmVerdict(rule({ dynoSize: "performance-m" }), history(200, 1), 10, now);
    expect(pricey.keepWarm).toBe(false);
    expect(pricey.note).toContain("more of a performance-m dyno an hour would cost more than the");
    // 20 jobs a start: 4 200 s of waiting saved, worth the 330 s on a Standard-1X dyno.
    const bursts = keepWarmVerdict(rule({ dynoSize: "standard-1x" }), history(200, 20), 10, now);
    expect(bursts).toMatchObject({ keepWarm: true, idleWait: 210 });
    expect(bursts.note).toBe("keeping 1 warm: work starts after 3 min idle on average, boot 60 s, target 30 s; 4 min warm spares 95 % of jobs a 70 s cold start");
  });

  it("keeps warm only long enough to spare 95 % of the jobs a cold start, or not at all", () => {
    // Nineteen starts after 100 s idle and one after 400 s, 1 job each: 110 s warm covers 95 %.
    const workStarts = Array.from({ length: 20 }, (_, i) => at(-3500 + i * 170));
    const gaps = workStarts.map((_, i) => (i === 7 ? 400 : 100));
    const h: ProcessHistory = { ...emptyHistory(1), lastWorkAt: at(-20), workStarts, workStartIdleSeconds: gaps, workStartLoads: gaps.map(() => 1) };
    expect(keepWarmVerdict(rule(), h, 10, now)).toMatchObject({ keepWarm: true, idleWait: 110 });
    // Half the jobs after 2 000 s gaps: sparing 95 % would take longer than the 15 min keep-warm.
    const sparse = { ...h, workStartIdleSeconds: gaps.map((g, i) => (i % 2 === 0 ? 2000 : g)) };
    const verdict = keepWarmVerdict(rule(), sparse, 10, now);
    expect(verdict.keepWarm).toBe(false);
    expect(verdict.note).toContain("sparing 95 % of jobs a cold start would take 34 min warm, longer than the 15 min keep-warm");
  });

  it("does not pay for a keep-warm that would end before the next work comes", () => {
    // A job every 20 minutes, keep-warm 15 minutes: the dyno would stop just before each job.
    const verdict = keepWarmVerdict(rule({ dynoSize: "standard-1x" }), history(1200, 50), 10, now);
    expect(verdict.keepWarm).toBe(false);
    expect(verdict.note).toContain("longer than the 15 min keep-warm");
  });

  it("skips the idle timeout when work never came back within it and a boot", () => {
    const verdict = keepWarmVerdict(rule({ dynoSize: "performance-m" }), history(1200, 1), 10, now);
    expect(verdict.idleWait).toBe(0);
    expect(verdict.note).toContain("scaling to zero once idle");
    const decision = decide({ checkIntervalSeconds: 10, processTypes: [rule({ dynoSize: "performance-m" })] }, { worker: { queues: [{ name: "default", depth: 0, latencyMs: null, busy: 0, scheduled: 0, retries: 0, sampledAt: at(-1) }] } }, { worker: history(1200, 1) }, now)[0];
    expect(decision).toMatchObject({ desiredQuantity: 0, direction: "down" });
    expect(decision?.reason).toContain("scaling to zero once idle");
  });

  it("uses only the customer's idle timeout with too few starts, or keep-warm off", () => {
    expect(keepWarmVerdict(rule(), history(50, 1, 2), 10, now)).toEqual({ idleWait: 30, keepWarm: false, note: null });
    expect(keepWarmVerdict(rule({ scaleToZero: { keepWarmAfterStarts: 0 } }), history(50, 1), 10, now)).toEqual({ idleWait: 30, keepWarm: false, note: null });
  });
});

describe("the history keep-warm reads", () => {
  it("records each start's idle gap and the most jobs seen in its spell", () => {
    const r = rule();
    const rules = { checkIntervalSeconds: 10, processTypes: [r] };
    const q = (depth: number, busy: number, when: Date) => ({ worker: { queues: [{ name: "default", depth, latencyMs: null, busy, scheduled: 0, retries: 0, sampledAt: when }] } });
    let h: ProcessHistory = { ...emptyHistory(1), lastWorkAt: at(-400) };
    for (const [seconds, depth, busy] of [[-300, 3, 0], [-290, 2, 4], [-280, 0, 1], [-270, 0, 0], [-100, 1, 0]] as const) {
      const when = at(seconds);
      const d = decide(rules, q(depth, busy, when), { worker: h }, when)[0];
      if (!d) throw new Error("no decision");
      h = recordDecision(r, h, d, when, 10, false);
    }
    expect(h.workStarts?.map((d) => d.getTime())).toEqual([at(-300).getTime(), at(-100).getTime()]);
    expect(h.workStartIdleSeconds).toEqual([100, 180]);
    expect(h.workStartLoads).toEqual([6, 1]);
  });
});

describe("growth pre-warming is weighed too", () => {
  const growth = { quantity: 6, source: "growth" as const, projectedDepth: 40 };
  it("is skipped when a dyno started on demand meets the wait target", () => {
    expect(prewarmNotWorth(rule({ bootSeconds: 20, waitTargetSeconds: 60 }), growth, 2, 10, 10)).toBe(
      "no pre-warm: a dyno started on demand (boot + check 30 s) meets the 60 s wait target",
    );
  });

  it("starts standard dynos early for many jobs, not performance dynos for a few", () => {
    // 4 extra dynos 70 s early against 30 jobs that would each wait a 70 s cold start.
    expect(prewarmNotWorth(rule({ dynoSize: "standard-1x" }), growth, 2, 10, 10)).toBeNull();
    expect(prewarmNotWorth(rule({ dynoSize: "performance-l" }), { ...growth, projectedDepth: 12 }, 2, 10, 10)).toBe(
      "no pre-warm: 4 more dynos 70 s early would cost more than the wait of the 2 jobs expected",
    );
  });
});
