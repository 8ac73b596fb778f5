import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import { processRuleSchema, type ProcessRule } from "@/lib/scaling/rules";
import { isWindowOpen } from "@/lib/scaling/schedule";
import { scheduleWindowSchema } from "@/lib/scaling/schedule-window";
import type { ProcessDecision, ProcessHistory, ProcessMetrics } from "@/lib/scaling/types";

const interval = 10;
const t0 = Date.UTC(2024, 2, 5, 12);
const at = (seconds: number) => new Date(t0 + seconds * 1000);

const ruleArb = fc
  .record({
    minQuantity: fc.integer({ min: 0, max: 5 }),
    span: fc.integer({ min: 0, max: 15 }),
    concurrencyPerDyno: fc.integer({ min: 1, max: 10 }),
    metric: fc.constantFrom("depth", "latency", "both"),
    jobsPerDyno: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
    up: fc.integer({ min: 1, max: 60 }),
    downFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    upscale: fc.record({ mode: fc.constantFrom("jump", "step"), maxStep: fc.integer({ min: 1, max: 5 }), cooldownSeconds: fc.integer({ min: 0, max: 120 }) }),
    downscale: fc.record({
      delaySeconds: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
      maxStep: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      busyAware: fc.boolean(),
      whenBusyDynosUnknown: fc.constantFrom("drain", "count"),
    }),
    scaleToZero: fc.record({
      idleSeconds: fc.integer({ min: 0, max: 120 }),
      keepWarmAfterStarts: fc.integer({ min: 0, max: 4 }),
      keepWarmSeconds: fc.integer({ min: 0, max: 1800 }),
    }),
    prewarm: fc.record({ growth: fc.boolean(), lastWeek: fc.boolean() }),
    count: fc.record({ scheduled: fc.boolean(), retries: fc.boolean() }),
    schedule: fc.option(fc.record({ minQuantity: fc.integer({ min: 0, max: 8 }), maxQuantity: fc.integer({ min: 0, max: 20 }) }), { nil: null }),
  })
  .map((r): ProcessRule =>
    processRuleSchema.parse({
      processType: "worker",
      minQuantity: r.minQuantity,
      maxQuantity: r.minQuantity + r.span,
      concurrencyPerDyno: r.concurrencyPerDyno,
      metric: r.metric,
      jobsPerDyno: r.jobsPerDyno,
      upscaleLatencySeconds: r.up,
      downscaleLatencySeconds: Math.floor(r.up * r.downFraction),
      upscale: r.upscale,
      downscale: r.downscale,
      scaleToZero: r.scaleToZero,
      prewarm: r.prewarm,
      count: r.count,
      schedules: r.schedule
        ? [{ days: ["tue"], start: "11:00", end: "13:00", timeZone: "UTC", minQuantity: r.schedule.minQuantity, maxQuantity: r.schedule.maxQuantity }]
        : [],
    }),
  );

const queueArb = fc.record({
  name: fc.constantFrom("default", "mailers", "critical"),
  depth: fc.integer({ min: 0, max: 5000 }),
  latencyMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: null }),
  busy: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
  scheduled: fc.integer({ min: 0, max: 500 }),
  retries: fc.integer({ min: 0, max: 500 }),
  ageSeconds: fc.integer({ min: 0, max: 120 }),
});

const metricsArb = fc
  .record({ queues: fc.array(queueArb, { minLength: 1, maxLength: 3 }), highestBusyDyno: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }) })
  .map(({ queues, highestBusyDyno }): ProcessMetrics => ({
    queues: queues.map(({ ageSeconds, ...q }) => ({ ...q, sampledAt: at(-ageSeconds) })),
    highestBusyDyno,
  }));

const historyArb = fc
  .record({
    currentQuantity: fc.integer({ min: 0, max: 30 }),
    lastUpscale: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
    lastDownscale: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
    lastWork: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: null }),
    samples: fc.array(
      fc.record({ ago: fc.integer({ min: 1, max: 400 }), needed: fc.integer({ min: 0, max: 30 }), wanted: fc.integer({ min: 0, max: 30 }), depth: fc.integer({ min: 0, max: 5000 }) }),
      { maxLength: 40 },
    ),
    starts: fc.array(fc.integer({ min: 0, max: 3600 }), { maxLength: 6 }),
    lastWeek: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
  })
  .map((h): ProcessHistory => ({
    currentQuantity: h.currentQuantity,
    lastUpscaleAt: h.lastUpscale === null ? null : at(-h.lastUpscale),
    lastDownscaleAt: h.lastDownscale === null ? null : at(-h.lastDownscale),
    lastWorkAt: h.lastWork === null ? null : at(-h.lastWork),
    samples: [...h.samples].sort((a, b) => b.ago - a.ago).map((s) => ({ at: at(-s.ago), neededQuantity: s.needed, wantedQuantity: s.wanted, depth: s.depth })),
    workStarts: [...h.starts].sort((a, b) => b - a).map((s) => at(-s)),
    lastWeekNeededQuantity: h.lastWeek,
  }));

function decideOne(rule: ProcessRule, metrics: ProcessMetrics | undefined, history: ProcessHistory, now = at(0)): ProcessDecision {
  const [d] = decide({ checkIntervalSeconds: interval, processTypes: [rule] }, { worker: metrics }, { worker: history }, now);
  if (!d) throw new Error("no decision");
  return d;
}

function busyFloor(rule: ProcessRule, d: ProcessDecision, metrics: ProcessMetrics, current: number): number {
  const busy = d.observed.busy ?? 0;
  if (metrics.highestBusyDyno == null && busy > 0 && rule.downscale.whenBusyDynosUnknown === "drain") return current;
  return Math.max(Math.ceil(busy / rule.concurrencyPerDyno), metrics.highestBusyDyno ?? 0);
}

describe("decide: properties", () => {
  it("never decides outside [min, max] (schedule-adjusted)", () => {
    fc.assert(
      fc.property(ruleArb, metricsArb, historyArb, (rule, metrics, history) => {
        const d = decideOne(rule, metrics, history);
        expect(d.desiredQuantity).toBeGreaterThanOrEqual(d.bounds.minQuantity);
        expect(d.desiredQuantity).toBeLessThanOrEqual(d.bounds.maxQuantity);
        expect(Number.isInteger(d.desiredQuantity)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("never downscales below the dynos still working when busy-aware (max wins over busy)", () => {
    fc.assert(
      fc.property(ruleArb, metricsArb, historyArb, (rule, metrics, history) => {
        const d = decideOne(rule, metrics, history);
        if (!rule.downscale.busyAware || d.fallback || d.direction !== "down") return;
        const floor = Math.min(busyFloor(rule, d, metrics, history.currentQuantity), history.currentQuantity, d.bounds.maxQuantity);
        expect(d.desiredQuantity).toBeGreaterThanOrEqual(floor);
      }),
      { numRuns: 500 },
    );
  });

  it("never downscales on missing or stale metrics (only max can lower it)", () => {
    fc.assert(
      fc.property(ruleArb, metricsArb, historyArb, fc.integer({ min: 31, max: 3600 }), fc.boolean(), (rule, metrics, history, staleBy, missing) => {
        const stale = { ...metrics, queues: metrics.queues.map((q) => ({ ...q, sampledAt: at(-staleBy) })) };
        const d = decideOne(rule, missing ? undefined : stale, history);
        expect(d.fallback).toBe(true);
        expect(d.desiredQuantity).toBeGreaterThanOrEqual(Math.min(history.currentQuantity, d.bounds.maxQuantity));
      }),
      { numRuns: 300 },
    );
  });

  it("settles on a constant load and stays there (no oscillation)", () => {
    fc.assert(
      fc.property(ruleArb, metricsArb, fc.integer({ min: 0, max: 30 }), (rawRule, metrics, start) => {
        const rule = { ...rawRule, schedules: [] };
        let history: ProcessHistory = { currentQuantity: start, lastUpscaleAt: null, lastDownscaleAt: null, lastWorkAt: null, samples: [] };
        const quantities: number[] = [start];
        // Long enough for the slowest stepping the arbitraries allow: 20 dynos one at a time,
        // each after a 120 s cooldown (13 checks), then the five minutes it must stay settled.
        for (let step = 1; step <= 400; step++) {
          const now = at(step * interval);
          const fresh: ProcessMetrics = { ...metrics, queues: metrics.queues.map((q) => ({ ...q, sampledAt: now })) };
          const d = decideOne(rule, fresh, history, now);
          history = recordDecision(rule, history, d, now, interval, d.apply);
          quantities.push(history.currentQuantity);
        }
        const changes = quantities.slice(1).map((q, i) => Math.sign(q - (quantities[i] ?? q))).filter((s) => s !== 0);
        // Monotone: never up then down or down then up.
        expect(new Set(changes).size).toBeLessThanOrEqual(1);
        // Settled: the last 30 checks (five minutes) changed nothing.
        expect(new Set(quantities.slice(-30)).size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it("says which metric drove a change", () => {
    fc.assert(
      fc.property(ruleArb, metricsArb, historyArb, (rule, metrics, history) => {
        const d = decideOne(rule, metrics, history);
        if (d.direction === "none") return;
        const word = { latency: "latency", depth: "job", busy: "busy", wake: "wake", "prewarm-growth": "pre-warm", "prewarm-last-week": "last week", delay: "delay", idle: "idle", schedule: "schedule" }[
          d.driver as string
        ];
        if (word) expect(d.reason).toContain(word);
        expect(d.reason).toMatch(new RegExp(`^worker ${d.currentQuantity} → ${d.desiredQuantity}`));
      }),
      { numRuns: 500 },
    );
  });

  it("is pure: the same input gives the same decision and the input is untouched", () => {
    fc.assert(
      fc.property(ruleArb, metricsArb, historyArb, (rule, metrics, history) => {
        const before = JSON.stringify({ rule, metrics, history });
        const a = decideOne(rule, metrics, history);
        const b = decideOne(rule, metrics, history);
        expect(b).toEqual(a);
        expect(JSON.stringify({ rule, metrics, history })).toBe(before);
      }),
      { numRuns: 200 },
    );
  });
});

describe("schedules: properties across daylight saving changes", () => {
  const zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC", "America/Sao_Paulo"];

  it("a Mon–Fri 08:00–18:00 window is open 50 hours in any 168 (±1 h where the clocks change)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 365 * 24 * 12 }), (timeZone, fiveMinuteSlot) => {
        const window = scheduleWindowSchema.parse({ days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "18:00", timeZone, minQuantity: 1 });
        const start = Date.UTC(2024, 0, 1) + fiveMinuteSlot * 300_000;
        let openMinutes = 0;
        for (let m = 0; m < 7 * 24 * 60; m += 5) if (isWindowOpen(window, new Date(start + m * 60_000))) openMinutes += 5;
        expect(Math.abs(openMinutes - 50 * 60)).toBeLessThanOrEqual(60);
      }),
      { numRuns: 40 },
    );
  });

  it("opens at the same local wall-clock minute every weekday, before and after a change", () => {
    fc.assert(
      fc.property(fc.constantFrom("Europe/Berlin", "America/New_York"), fc.integer({ min: 0, max: 364 }), (timeZone, day) => {
        const window = scheduleWindowSchema.parse({ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "08:00", end: "18:00", timeZone, minQuantity: 1 });
        // Scan the UTC day minute by minute: exactly one closed→open edge, at 08:00 local.
        const dayStart = Date.UTC(2024, 0, 1) + day * 86_400_000;
        const fmt = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
        let previous = isWindowOpen(window, new Date(dayStart - 60_000));
        for (let m = 0; m < 24 * 60; m++) {
          const instant = new Date(dayStart + m * 60_000);
          const open = isWindowOpen(window, instant);
          if (open && !previous) expect(fmt.format(instant)).toBe("08:00");
          if (!open && previous) expect(fmt.format(instant)).toBe("18:00");
          previous = open;
        }
      }),
      { numRuns: 30 },
    );
  });
});
