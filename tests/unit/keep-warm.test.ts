import { describe, expect, it } from "vitest";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import { keepWarmVerdict } from "@/lib/scaling/keep-warm";
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
    // 200 s idle gaps, boot 60 s: warm costs 110 s more than zero-and-boot; a cold start is 70 s.
    const pricey = keepWarmVerdict(rule({ dynoSize: "performance-m" }), history(200, 1), 10, now);
    expect(pricey.keepWarm).toBe(false);
    expect(pricey.note).toContain("110 s more of a performance-m dyno would cost more than the 70 s of waiting it saves (1 job a start)");
    const bursts = keepWarmVerdict(rule({ dynoSize: "standard-1x" }), history(200, 20), 10, now);
    expect(bursts).toMatchObject({ keepWarm: true, idleWait: 400 });
    expect(bursts.note).toContain("keeping 1 warm: work starts after 3 min idle on average, boot 60 s, target 30 s; a cold start would keep 20 jobs waiting 70 s");
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
