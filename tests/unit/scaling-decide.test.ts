import { describe, expect, it } from "vitest";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { processRuleSchema, type ProcessRuleInput } from "@/lib/scaling/rules";
import type { ProcessDecision, ProcessHistory, ProcessMetrics, QueueMetrics } from "@/lib/scaling/types";

const t0 = Date.UTC(2024, 2, 5, 12); // a Tuesday, noon UTC
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const now = at(0);

function rule(over: Partial<ProcessRuleInput> = {}) {
  return processRuleSchema.parse({ processType: "worker", minQuantity: 0, maxQuantity: 20, concurrencyPerDyno: 5, ...over });
}

function queue(over: Partial<QueueMetrics> = {}): QueueMetrics {
  return { name: "default", depth: 0, latencyMs: null, busy: 0, scheduled: 0, retries: 0, sampledAt: at(-1), ...over };
}

function metrics(over: Partial<QueueMetrics> = {}, extra: Partial<ProcessMetrics> = {}): ProcessMetrics {
  return { queues: [queue(over)], ...extra };
}

/** A history whose samples cover the last `seconds` at 10 s steps, all wanting `wanted`. */
function history(current: number, over: Partial<ProcessHistory> = {}, wanted = current, seconds = 120): ProcessHistory {
  const samples = [];
  for (let s = seconds; s >= 10; s -= 10) samples.push({ at: at(-s), neededQuantity: wanted, wantedQuantity: wanted, depth: 0 });
  return { ...emptyHistory(current), samples, lastWorkAt: at(-5), ...over };
}

function one(r: ReturnType<typeof rule>, m: ProcessMetrics | undefined, h: ProcessHistory, when = now): ProcessDecision {
  const [decision] = decide({ checkIntervalSeconds: 10, processTypes: [r] }, { worker: m }, { worker: h }, when);
  if (!decision) throw new Error("no decision");
  return decision;
}

describe("decide: upscale", () => {
  it("sizes from depth and says so, with latency beside it", () => {
    const d = one(
      rule({ upscaleLatencySeconds: 30, jobsPerDyno: 250 }),
      metrics({ depth: 1240, latencyMs: 48_000, busy: 0 }),
      history(2),
    );
    expect(d).toMatchObject({ desiredQuantity: 5, direction: "up", apply: true, driver: "depth" });
    expect(d.reason).toBe("worker 2 → 5: 1 240 jobs / 250 per dyno; latency 48 s > 30 s upscale threshold");
  });

  it("lets latency drive when the backlog is small but old", () => {
    const d = one(rule({ jobsPerDyno: 1000 }), metrics({ depth: 50, latencyMs: 25_000, busy: 10 }), history(2));
    expect(d).toMatchObject({ desiredQuantity: 4, driver: "latency" });
    expect(d.reason).toMatch(/^worker 2 → 4: latency 25 s > 10 s upscale threshold/);
  });

  it("does not buy more for latency while the last upscale's dynos still boot", () => {
    const d = one(
      rule({ jobsPerDyno: 1000 }),
      metrics({ depth: 50, latencyMs: 25_000, busy: 10 }),
      history(4, { lastUpscaleAt: at(-10) }),
    );
    expect(d).toMatchObject({ desiredQuantity: 4, direction: "none", apply: false });
    expect(d.reason).toContain("waiting for booting dynos");
  });

  it("wakes on the first job", () => {
    const d = one(rule(), metrics({ depth: 1, latencyMs: 500 }), history(0));
    expect(d).toMatchObject({ desiredQuantity: 1, driver: "wake" });
    expect(d.reason).toMatch(/^worker 0 → 1: wake on first job/);
  });

  it("leaves a young backlog smaller than a dyno's worth to the slots that free up", () => {
    const d = one(rule(), metrics({ depth: 2, latencyMs: 1000, busy: 10 }), history(2));
    expect(d).toMatchObject({ desiredQuantity: 2, direction: "none" });
  });

  it("caps at max and raises to min, naming the schedule that set the bound", () => {
    const capped = one(rule({ maxQuantity: 3 }), metrics({ depth: 500, latencyMs: 60_000 }), history(1));
    expect(capped.desiredQuantity).toBe(3);
    expect(capped.reason).toContain("capped at max 3");
    const scheduled = rule({
      schedules: [{ name: "office hours", days: ["tue"], start: "08:00", end: "18:00", timeZone: "UTC", minQuantity: 3 }],
    });
    const raised = one(scheduled, metrics({ depth: 0 }), history(1));
    expect(raised).toMatchObject({ desiredQuantity: 3, driver: "schedule", bounds: { minQuantity: 3, schedule: "office hours" } });
    expect(raised.reason).toContain("raised to min 3 (schedule office hours)");
  });

  it("holds for the upscale cooldown, except to wake from zero or reach min", () => {
    const r = rule({ upscale: { cooldownSeconds: 60 } });
    const held = one(r, metrics({ depth: 100, latencyMs: 30_000, busy: 10 }), history(2, { lastUpscaleAt: at(-20) }));
    expect(held).toMatchObject({ desiredQuantity: 2, driver: "cooldown" });
    expect(held.reason).toContain("upscale cooldown, 40 s left");
    const woken = one(r, metrics({ depth: 3, latencyMs: 1000 }), history(0, { lastUpscaleAt: at(-20) }));
    expect(woken.desiredQuantity).toBe(1);
  });

  it("steps up at most maxStep a decision in step mode", () => {
    const d = one(rule({ upscale: { mode: "step", maxStep: 2 } }), metrics({ depth: 200, latencyMs: 60_000 }), history(1));
    expect(d.desiredQuantity).toBe(3);
    expect(d.reason).toContain("stepping up at most 2 a decision");
  });

  it("pre-warms for a backlog that grows at every check", () => {
    const h = history(2);
    const samples = [
      ...h.samples.slice(0, -2),
      { at: at(-20), neededQuantity: 2, wantedQuantity: 2, depth: 10 },
      { at: at(-10), neededQuantity: 4, wantedQuantity: 4, depth: 20 },
    ];
    const d = one(rule(), metrics({ depth: 30, latencyMs: 5000, busy: 10 }), { ...h, samples });
    // 1 job/s for boot (30 s) + interval (10 s): 70 jobs expected, 14 dynos for them plus 2 busy.
    expect(d).toMatchObject({ desiredQuantity: 16, driver: "prewarm-growth" });
    expect(d.reason).toMatch(/^worker 2 → 16: pre-warm: backlog growing, 70 jobs expected in 40 s/);
    const off = one(rule({ prewarm: { growth: false } }), metrics({ depth: 30, latencyMs: 5000, busy: 10 }), { ...h, samples });
    expect(off.desiredQuantity).toBe(8);
  });

  it("does not read one burst as growth when a check off the schedule saw its first jobs", () => {
    // The enqueue wake checked at -9 s, a second after the burst's first jobs; the burst was
    // all there by the regular check at 0. Three rising samples, but one jump in 11 s.
    const h = history(1);
    const samples = [
      ...h.samples.slice(0, -1),
      { at: at(-10), neededQuantity: 0, wantedQuantity: 0, depth: 0 },
      { at: at(-9), neededQuantity: 1, wantedQuantity: 1, depth: 5 },
    ];
    const d = one(rule(), metrics({ depth: 40, latencyMs: 9000, busy: 5 }), { ...h, samples });
    expect(d.driver).not.toBe("prewarm-growth");
    expect(d.desiredQuantity).toBe(9); // the depth's answer: 5 running + 40 waiting at 5 a dyno
  });

  it("pre-warms for last week's need only when asked to", () => {
    const h = history(1, { lastWeekNeededQuantity: 4 });
    expect(one(rule(), metrics({ depth: 0, busy: 2 }), h).desiredQuantity).toBe(1);
    const d = one(rule({ prewarm: { lastWeek: true } }), metrics({ depth: 0, busy: 2 }), h);
    expect(d).toMatchObject({ desiredQuantity: 4, driver: "prewarm-last-week" });
    expect(d.reason).toContain("4 dynos needed this time last week");
  });
});

describe("decide: downscale", () => {
  it("downscales only to the largest quantity wanted during the delay", () => {
    const h = history(8, {}, 8, 30);
    const samples = [
      { at: at(-90), neededQuantity: 8, wantedQuantity: 8, depth: 0 },
      { at: at(-50), neededQuantity: 6, wantedQuantity: 6, depth: 0 },
      ...h.samples,
    ].map((s) => (s.at.getTime() >= at(-30).getTime() ? { ...s, wantedQuantity: 3 } : s));
    const d = one(rule({ downscale: { delaySeconds: 60 } }), metrics({ busy: 10 }, { highestBusyDyno: 2 }), { ...h, samples });
    expect(d).toMatchObject({ desiredQuantity: 6, direction: "down", driver: "delay" });
    expect(d.reason).toBe("worker 8 → 6: downscale delay: 6 wanted during the last 60 s; 10 busy / 5 per dyno; queue empty; 0 jobs / 5 per dyno");
    // By default the delay is the boot time plus a check (30 + 10 s): the 6 of 50 s ago is past it.
    const byDefault = one(rule(), metrics({ busy: 10 }, { highestBusyDyno: 2 }), { ...h, samples });
    expect(byDefault).toMatchObject({ desiredQuantity: 3, direction: "down", driver: "delay" });
    expect(byDefault.reason).toContain("downscale delay: 3 wanted during the last 40 s");
  });

  it("holds while its history is shorter than the delay", () => {
    const d = one(rule(), metrics({ busy: 5 }), history(6, {}, 1, 30));
    expect(d).toMatchObject({ desiredQuantity: 6, driver: "delay" });
    expect(d.reason).toContain("less than 40 s of history");
  });

  it("keeps the highest busy dyno when the probe names it", () => {
    const d = one(rule(), metrics({ busy: 1 }, { highestBusyDyno: 5 }), history(6, {}, 1));
    expect(d).toMatchObject({ desiredQuantity: 5, driver: "busy" });
    expect(d.reason).toContain("busy-aware: dyno 5 still working");
    const blind = one(rule({ downscale: { busyAware: false } }), metrics({ busy: 1 }, { highestBusyDyno: 5 }), history(6, {}, 1));
    expect(blind.desiredQuantity).toBe(1);
  });

  it("drains when the probe cannot name the busy dynos: no downscale while a job runs", () => {
    const d = one(rule(), metrics({ busy: 1 }), history(6, {}, 1));
    expect(d).toMatchObject({ desiredQuantity: 6, driver: "busy" });
    expect(d.reason).toContain("busy-aware: draining, 1 job running on dynos the probe cannot name");
    expect(one(rule(), metrics({ busy: 0 }), history(6, {}, 1)).desiredQuantity).toBe(1);
  });

  it("with the count fallback, never goes below the dynos the busy workers fill", () => {
    const d = one(rule({ downscale: { whenBusyDynosUnknown: "count" } }), metrics({ busy: 12 }), history(6, {}, 1));
    expect(d.desiredQuantity).toBe(3);
  });

  it("steps down at most maxStep a decision", () => {
    const d = one(rule({ downscale: { maxStep: 2 } }), metrics({ busy: 0 }), history(6, { lastWorkAt: at(-5) }, 1));
    expect(d.desiredQuantity).toBe(4);
    expect(d.reason).toContain("stepping down at most 2 a decision");
  });

  it("waits for the idle timeout before scaling to zero (the delay still paces the way down)", () => {
    expect(one(rule(), metrics({}), history(3, { lastWorkAt: at(-10) }, 3)).desiredQuantity).toBe(3);
    const waiting = one(rule(), metrics({}), history(3, { lastWorkAt: at(-10) }, 0));
    expect(waiting).toMatchObject({ desiredQuantity: 1, driver: "idle" });
    expect(waiting.reason).toContain("idle 10 s of 30 s before scaling to zero");
    // Idle past the timeout: zero at once, whatever the delay remembers.
    const zero = one(rule(), metrics({}), history(3, { lastWorkAt: at(-40) }, 3));
    expect(zero).toMatchObject({ desiredQuantity: 0, direction: "down" });
    expect(zero.reason).toBe("worker 3 → 0: 0 jobs / 5 per dyno; queue empty");
  });

  it("keeps one dyno warm when work keeps starting from idle soon after, and says why", () => {
    const starts = [at(-3000), at(-2000), at(-1000)];
    // Work started after 40 s idle each time: warm costs less than zero, then a 30 s boot.
    const gaps = { workStarts: starts, workStartIdleSeconds: [40, 40, 40], workStartLoads: [1, 1, 1] };
    const warm = one(rule(), metrics({}), history(1, { lastWorkAt: at(-60), ...gaps }, 0));
    expect(warm).toMatchObject({ desiredQuantity: 1, driver: "idle" });
    expect(warm.reason).toContain("keeping 1 warm: work starts after 40 s idle on average, boot 30 s, target 30 s; cheaper than scaling to zero");
    // Held for twice the usual gap, then zero.
    expect(one(rule(), metrics({}), history(1, { lastWorkAt: at(-81), ...gaps }, 0)).desiredQuantity).toBe(0);
    const off = one(rule({ scaleToZero: { keepWarmAfterStarts: 0 } }), metrics({}), history(1, { lastWorkAt: at(-60), ...gaps }, 0));
    expect(off.desiredQuantity).toBe(0);
  });

  it("never scales to zero above a min of one", () => {
    expect(one(rule({ minQuantity: 1 }), metrics({}), history(3, { lastWorkAt: at(-4000) }, 0)).desiredQuantity).toBe(1);
  });
});

describe("decide: holds and flags", () => {
  it("holds on stale metrics and says why", () => {
    const d = one(rule(), metrics({ depth: 0, sampledAt: at(-45) }), history(5, {}, 0));
    expect(d).toMatchObject({ desiredQuantity: 5, fallback: true, driver: "stale", apply: false });
    expect(d.reason).toBe("worker holds at 5: metrics stale (sampled 45 s ago, limit 30 s): holding, never downscaling on stale data");
  });

  it("holds on missing metrics, or a missing queue the rule names", () => {
    expect(one(rule(), undefined, history(2))).toMatchObject({ desiredQuantity: 2, fallback: true, driver: "missing" });
    const named = one(rule({ queues: ["critical"] }), metrics({ depth: 500, latencyMs: 90_000 }), history(2));
    expect(named).toMatchObject({ desiredQuantity: 2, fallback: true });
    expect(named.reason).toContain("metrics missing for critical");
  });

  it("still obeys min and max on stale data (they come from the customer)", () => {
    const stale = metrics({ sampledAt: at(-600) });
    expect(one(rule({ maxQuantity: 3 }), stale, history(5)).desiredQuantity).toBe(3);
    expect(one(rule({ minQuantity: 2 }), stale, history(0)).desiredQuantity).toBe(2);
  });

  it("holds exactly while paused", () => {
    const d = one(rule({ paused: true, maxQuantity: 3 }), metrics({ depth: 900, latencyMs: 99_000 }), history(5));
    expect(d).toMatchObject({ desiredQuantity: 5, paused: true, apply: false, driver: "paused" });
    expect(d.reason).toBe("worker holds at 5: paused");
  });

  it("decides but does not apply on a dry run", () => {
    const d = one(rule({ dryRun: true }), metrics({ depth: 40, latencyMs: 20_000 }), history(1));
    expect(d).toMatchObject({ desiredQuantity: 8, direction: "up", apply: false, dryRun: true });
    expect(d.reason).toMatch(/\(dry run: not applied\)$/);
  });
});

describe("decide: what is counted", () => {
  it("counts scheduled jobs and retries only when asked", () => {
    const m = metrics({ depth: 0, scheduled: 40, retries: 10, busy: 0 });
    expect(one(rule(), m, history(0)).desiredQuantity).toBe(0);
    expect(one(rule({ count: { scheduled: true, retries: false } }), m, history(0)).desiredQuantity).toBe(8);
    expect(one(rule({ count: { scheduled: true, retries: true } }), m, history(0)).desiredQuantity).toBe(10);
  });

  it("reads only the queues the rule names, and the oldest job among them", () => {
    const m: ProcessMetrics = {
      queues: [queue({ name: "a", depth: 10, latencyMs: 3000 }), queue({ name: "b", depth: 900, latencyMs: 120_000 })],
    };
    const d = one(rule({ queues: ["a"] }), m, history(0));
    expect(d.observed).toEqual({ depth: 10, latencyMs: 3000, busy: 0 });
    expect(one(rule(), m, history(0)).observed).toEqual({ depth: 910, latencyMs: 120_000, busy: 0 });
  });

  it("decides each process type, taking a missing history as no dynos", () => {
    const rules = { checkIntervalSeconds: 10, processTypes: [rule(), rule({ processType: "urgent" })] };
    const out = decide(rules, { worker: metrics({ depth: 5, latencyMs: 100 }), urgent: metrics({}) }, {}, now);
    expect(out.map((d) => [d.processType, d.currentQuantity, d.desiredQuantity])).toEqual([
      ["worker", 0, 1],
      ["urgent", 0, 0],
    ]);
  });
});
