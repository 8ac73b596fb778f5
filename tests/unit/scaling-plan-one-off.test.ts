import { describe, expect, it } from "vitest";
import { decideProcess, emptyHistory } from "@/lib/scaling/decide";
import { oneOffLimitFor, planOneOff } from "@/lib/scaling/plan-one-off";
import { parseProcessRule } from "@/lib/scaling/rules";
import type { ProcessMetrics } from "@/lib/scaling/types";

const now = new Date("2026-01-05T10:00:00Z");
const ruleFor = (size: string) =>
  parseProcessRule({ processType: "worker", minQuantity: 0, maxQuantity: 100, concurrencyPerDyno: 5, mode: "one-off", oneOff: { command: "rq worker --burst", size } });
const metrics = (depth: number, busy = 0): ProcessMetrics => ({
  queues: [{ name: "default", depth, latencyMs: depth > 0 ? 40_000 : null, busy, scheduled: 0, retries: 0, sampledAt: now }],
});

describe("Heroku's concurrent one-off limits", () => {
  it("are Eco 1, Basic and Standard 50, Performance, Private and Shield 5", () => {
    expect(oneOffLimitFor("eco")).toBe(1);
    expect(oneOffLimitFor("basic")).toBe(50);
    expect(oneOffLimitFor("standard-2x")).toBe(50);
    expect(oneOffLimitFor("performance-l")).toBe(5);
    expect(oneOffLimitFor("private-m")).toBe(5);
    expect(oneOffLimitFor("shield-l")).toBe(5);
  });
});

describe("planOneOff", () => {
  it("starts what the waiting jobs fill, counting free slots on running dynos", () => {
    const rule = ruleFor("standard-1x");
    const decision = decideProcess(rule, metrics(23, 3), emptyHistory(1), 10, now);
    const plan = planOneOff(rule, decision, { running: 1, runningOnApp: 1 });
    // 1 running dyno has 2 free slots; 21 uncovered jobs need 5 more dynos of 5.
    expect(plan.start).toBe(5);
    expect(plan.decision.desiredQuantity).toBe(6);
    expect(plan.decision.apply).toBe(true);
    expect(plan.decision.reason).toMatch(/^worker 1 → 6: starting 5 one-off dynos \(standard-1x\)/);
    expect(plan.limitBinds).toBe(false);
  });

  it("never stops a dyno: a downscale decision starts none", () => {
    const rule = ruleFor("standard-1x");
    const decision = decideProcess(rule, metrics(0), emptyHistory(4), 10, now);
    const plan = planOneOff(rule, decision, { running: 4, runningOnApp: 4 });
    expect(plan.start).toBe(0);
    expect(plan.decision.apply).toBe(false);
    expect(plan.decision.desiredQuantity).toBe(4);
  });

  it("stops at Heroku's limit and says so", () => {
    const rule = ruleFor("performance-l");
    const decision = decideProcess(rule, metrics(100), emptyHistory(3), 10, now);
    const plan = planOneOff(rule, decision, { running: 3, runningOnApp: 4 });
    expect(plan.start).toBe(1);
    expect(plan.limitBinds).toBe(true);
    expect(plan.decision.reason).toMatch(/Heroku's limit of 5 one-off performance-l dynos at once binds \(4 running on the app\)/);
  });

  it("records but does not act in dry run", () => {
    const rule = parseProcessRule({ ...ruleFor("standard-1x"), dryRun: true });
    const decision = decideProcess(rule, metrics(10), emptyHistory(0), 10, now);
    const plan = planOneOff(rule, decision, { running: 0, runningOnApp: 0 });
    expect(plan.start).toBe(2);
    expect(plan.decision.apply).toBe(false);
  });
});

describe("the one-off rule", () => {
  it("needs a command", () => {
    expect(() => parseProcessRule({ processType: "worker", mode: "one-off" })).toThrow(/one-off mode needs a command/);
  });
});
