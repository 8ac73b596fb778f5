import { describe, expect, it } from "vitest";
import { emptyHistory, decideProcess } from "@/lib/scaling/decide";
import { planDrain } from "@/lib/scaling/plan-drain";
import { parseProcessRule } from "@/lib/scaling/rules";
import type { DynoWorkStatus, ProcessDecision } from "@/lib/scaling/types";

const rule = parseProcessRule({ processType: "worker", minQuantity: 0, maxQuantity: 10, drainLimitSeconds: 300 });
const now = new Date("2026-01-05T10:00:00Z");
const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000);

function decision(current: number, desired: number, over: Partial<ProcessDecision> = {}): ProcessDecision {
  const base = decideProcess(rule, undefined, emptyHistory(current), 10, now);
  return {
    ...base,
    fallback: false,
    driver: "depth",
    desiredQuantity: desired,
    wantedQuantity: desired,
    direction: desired > current ? "up" : desired < current ? "down" : "none",
    apply: desired !== current,
    reason: `worker ${current} → ${desired}: queue empty`,
    ...over,
  };
}
const status = (entries: Array<[number, Partial<DynoWorkStatus>]>) =>
  new Map<number, DynoWorkStatus>(entries.map(([dyno, s]) => [dyno, { quiet: false, busy: 0, ...s }]));

describe("planDrain", () => {
  it("quiets the dynos about to go and holds instead of lowering the quantity", () => {
    const plan = planDrain(rule, decision(5, 2), [], status([[1, {}], [2, {}], [3, {}], [4, {}], [5, {}]]), now);
    expect(plan.quiet).toEqual([3, 4, 5]);
    expect(plan.decision.apply).toBe(false);
    expect(plan.decision.desiredQuantity).toBe(5);
    expect(plan.decision.reason).toMatch(/^worker holds at 5: quieting worker.3, worker.4, worker.5 before removing them/);
    expect(plan.quieted.map((q) => q.dyno)).toEqual([3, 4, 5]);
  });

  it("quiets a busy leaving dyno only once it is idle, so it keeps serving if the load comes back", () => {
    const plan = planDrain(rule, decision(5, 2), [], status([[3, {}], [4, { busy: 2 }], [5, {}]]), now);
    expect(plan.quiet).toEqual([3, 5]);
    expect(plan.quieted.map((q) => q.dyno)).toEqual([3, 5]);
    expect(plan.decision.apply).toBe(false);
    const later = planDrain(rule, decision(5, 2), plan.quieted, status([[3, { quiet: true }], [4, {}], [5, { quiet: true }]]), now);
    // worker.5 is quiet and idle: it goes; worker.4 is quieted now and goes once it reports.
    expect(later.quiet).toEqual([4]);
    expect(later.decision).toMatchObject({ apply: true, desiredQuantity: 4 });
  });

  it("drops once every quieted dyno reports quiet and idle", () => {
    const quieted = [3, 4, 5].map((dyno) => ({ dyno, at: at(20) }));
    const plan = planDrain(rule, decision(5, 2), quieted, status([[3, { quiet: true }], [4, { quiet: true }], [5, { quiet: true }]]), now);
    expect(plan.decision.apply).toBe(true);
    expect(plan.decision.desiredQuantity).toBe(2);
    expect(plan.quiet).toEqual([]);
    expect(plan.quieted).toEqual([]);
    expect(plan.decision.reason).toMatch(/3 quiet idle dynos removed/);
  });

  it("never counts a dyno idle before it reports quiet: it could still fetch a job", () => {
    const quieted = [{ dyno: 2, at: at(5) }];
    const plan = planDrain(rule, decision(2, 1), quieted, status([[2, { quiet: false, busy: 0 }]]), now);
    expect(plan.decision.apply).toBe(false);
    expect(plan.quiet).toEqual([2]); // the signal is sent again
    expect(plan.decision.reason).toMatch(/waiting for worker.2 to finish \(not yet quiet/);
  });

  it("drops only the top dynos that are idle, above the highest one still draining", () => {
    const quieted = [3, 4, 5].map((dyno) => ({ dyno, at: at(30) }));
    const plan = planDrain(rule, decision(5, 2), quieted, status([[3, { quiet: true, busy: 1 }], [4, { quiet: true }], [5, { quiet: true }]]), now);
    expect(plan.decision.apply).toBe(true);
    expect(plan.decision.desiredQuantity).toBe(3);
    expect(plan.quieted.map((q) => q.dyno)).toEqual([3]);
    expect(plan.decision.reason).toMatch(/^worker 5 → 3: waiting for worker.3 to finish \(1 job still running/);
  });

  it("past the drain limit keeps holding and says so", () => {
    const quieted = [{ dyno: 2, at: at(400) }];
    const plan = planDrain(rule, decision(2, 1), quieted, status([[2, { quiet: true, busy: 2 }]]), now);
    expect(plan.decision.apply).toBe(false);
    expect(plan.decision.reason).toMatch(/worker.2 still draining after 7 min, past the 5 min drain limit \(2 jobs still running\): holding/);
  });

  it("holds when the store cannot be read", () => {
    const plan = planDrain(rule, decision(3, 1), [2, 3].map((dyno) => ({ dyno, at: at(10) })), null, now);
    expect(plan.decision.apply).toBe(false);
    expect(plan.decision.reason).toMatch(/could not be read/);
  });

  it("restarts quieted dynos the load wants again once idle, and leaves a busy one quiet", () => {
    const quieted = [3, 4].map((dyno) => ({ dyno, at: at(10) }));
    const plan = planDrain(rule, decision(4, 6), quieted, status([[3, { quiet: true }], [4, { quiet: true, busy: 1 }]]), now);
    expect(plan.restart).toEqual([3]);
    expect(plan.quieted.map((q) => q.dyno)).toEqual([4]);
    expect(plan.decision.apply).toBe(true);
    expect(plan.decision.desiredQuantity).toBe(6);
  });

  it("never restarts a wanted-again dyno the store does not list (it was booting): it stops counting it as quiet", () => {
    // worker.3 was booting when it was quieted, so no worker took the signal; a restart now
    // would kill the jobs it takes between this reading and Heroku acting.
    const quieted = [3, 4].map((dyno) => ({ dyno, at: at(10) }));
    const plan = planDrain(rule, decision(4, 6), quieted, status([[1, {}], [2, {}], [4, { quiet: true }]]), now);
    expect(plan.restart).toEqual([4]);
    expect(plan.quieted).toEqual([]);
    expect(plan.decision).toMatchObject({ apply: true, desiredQuantity: 6 });
  });

  it("does not restart dynos on their way out while a hold only waits for a draining one", () => {
    const quieted = [2, 3].map((dyno) => ({ dyno, at: at(10) }));
    const hold = decision(3, 3, { wantedQuantity: 1, driver: "busy" });
    const plan = planDrain(rule, hold, quieted, status([[2, { quiet: true }], [3, { quiet: true, busy: 1 }]]), now);
    expect(plan.restart).toEqual([]);
    expect(plan.quieted.map((q) => q.dyno)).toEqual([2, 3]);
  });

  it("forgets quieted dynos the formation no longer has, and acts on nothing in dry run", () => {
    const plan = planDrain(rule, decision(2, 1, { apply: false, dryRun: true }), [{ dyno: 4, at: at(10) }], status([]), now);
    expect(plan.quieted).toEqual([]);
    expect(plan.quiet).toEqual([]);
    expect(plan.decision.apply).toBe(false);
  });
});
