import { describe, expect, it } from "vitest";
import { notificationsForCheck } from "@/lib/notifications/notifications-for-check";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { processRuleSchema } from "@/lib/scaling/rules";
import { decideWeb, formatMs, throughputFloorOf, type WebDecisionInput, type WebRule, type WebWindow } from "@/lib/scaling/web-decide";
import { combinedQueueTimeMs, lastWindowRequestsPerSecond, summarizeWebWindows } from "@/lib/scaling/web-windows";

const now = new Date("2026-12-05T12:00:00Z");
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

const rule: WebRule = {
  processType: "web",
  percentile: "p95",
  windowSeconds: 60,
  upscaleThresholdMs: 250,
  downscaleThresholdMs: 50,
  minQuantity: 1,
  maxQuantity: 20,
  maxStep: 5,
  upscaleCooldownSeconds: 30,
  downscaleCooldownSeconds: 60,
  targetUtilisation: 0.5,
};

/** One window from one dyno, `ago` seconds ago: `requests` requests with the given p95 (p50 a fifth of it, p99 1.5×). */
function window(p95: number, requests = 600, ago = 5, extra: Partial<WebWindow> = {}): WebWindow {
  return { endedAt: secondsAgo(ago), windowSeconds: 10, requests, queueTimeMs: requests > 0 ? { p50: p95 / 5, p95, p99: p95 * 1.5 } : null, ...extra };
}

function decideWith(input: Partial<WebDecisionInput> & { windows: WebWindow[] }, overrides: Partial<WebRule> = {}) {
  return decideWeb({ rule: { ...rule, ...overrides }, currentQuantity: 3, now, ...input });
}

describe("combining web windows", () => {
  it("returns a window's own percentiles when there is one window, or several that agree", () => {
    const one = { endedAt: now, windowSeconds: 10, requests: 100, queueTimeMs: { p50: 10, p95: 80, p99: 200 } };
    expect(combinedQueueTimeMs([one], "p95")).toBeCloseTo(80, 9);
    expect(combinedQueueTimeMs([one], "p50")).toBeCloseTo(10, 9);
    expect(combinedQueueTimeMs([one, { ...one, requests: 7 }, { ...one, requests: 3000 }], "p99")).toBeCloseTo(200, 9);
    // p90 lies on the straight line between p50 and p95.
    expect(combinedQueueTimeMs([one], "p90")).toBeCloseTo(10 + (70 * 0.4) / 0.45, 9);
  });

  it("weights dynos by their requests, and does not hide one badly queued dyno as a mean of p95s would", () => {
    const idle = (requests: number) => ({ endedAt: now, windowSeconds: 10, requests, queueTimeMs: { p50: 1, p95: 4, p99: 6 } });
    const queued = { endedAt: now, windowSeconds: 10, requests: 200, queueTimeMs: { p50: 600, p95: 1000, p99: 1200 } };
    // 200 of 1 800 requests (11 %) waited 600–1 200 ms: the app's p95 is in that dyno's range.
    const p95 = combinedQueueTimeMs([idle(800), idle(800), queued], "p95") ?? 0;
    expect(p95).toBeGreaterThan(600);
    expect(p95).toBeLessThan(1000);
    // The same dyno with only 1 % of the requests barely moves the p95.
    expect(combinedQueueTimeMs([idle(9900), { ...queued, requests: 20 }], "p95")).toBeLessThan(10);
    // Windows with no request do not count; none at all is unknown, not zero.
    expect(combinedQueueTimeMs([{ endedAt: now, windowSeconds: 10, requests: 0, queueTimeMs: null }], "p95")).toBeNull();
  });

  it("finds the percentile of the mixture for many windows (checked against the CDF itself)", () => {
    // The CDF each window stands for, evaluated directly: linear through (0, 0), (p50, .5), (p95, .95), (p99, .99), (p99 + (p99 − p95)/4, 1).
    const cdf = (q: { p50: number; p95: number; p99: number }, x: number): number => {
      const points = [[0, 0], [q.p50, 0.5], [q.p95, 0.95], [q.p99, 0.99], [q.p99 + (q.p99 - q.p95) / 4, 1]] as const;
      let value = 0;
      for (let i = 0; i < points.length; i++) {
        const [px, pf] = points[i] ?? [0, 0];
        if (x < px) {
          const [qx, qf] = points[i - 1] ?? [0, 0];
          return qx === px ? value : qf + ((x - qx) / (px - qx)) * (pf - qf);
        }
        value = pf;
      }
      return value;
    };
    let seed = 7;
    const random = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
    const windows: WebWindow[] = Array.from({ length: 3000 }, () => {
      const p50 = random() * 50;
      const p95 = p50 + random() * 400;
      return { endedAt: now, windowSeconds: 10, requests: 1 + Math.floor(random() * 500), queueTimeMs: { p50, p95, p99: p95 + random() * 300 } };
    });
    const total = windows.reduce((sum, w) => sum + w.requests, 0);
    const mixture = (x: number) => windows.reduce((sum, w) => sum + w.requests * cdf(w.queueTimeMs ?? { p50: 0, p95: 0, p99: 0 }, x), 0) / total;
    for (const [percentile, fraction] of [["p50", 0.5], ["p90", 0.9], ["p95", 0.95], ["p99", 0.99]] as const) {
      const x = combinedQueueTimeMs(windows, percentile) ?? -1;
      expect(mixture(x)).toBeCloseTo(fraction, 9);
      expect(mixture(x - 0.01)).toBeLessThan(fraction);
    }
    // The check records three percentiles from one sweep: the same as asking one at a time.
    expect(summarizeWebWindows(windows).queueTimeMs).toEqual({
      p50: combinedQueueTimeMs(windows, "p50"),
      p95: combinedQueueTimeMs(windows, "p95"),
      p99: combinedQueueTimeMs(windows, "p99"),
    });
  });

  it("reads throughput from each dyno's newest window, leaving out a dyno that stopped reporting", () => {
    const windows = [
      window(10, 100, 25, { dyno: "web.1" }),
      window(10, 300, 5, { dyno: "web.1" }),
      window(10, 200, 6, { dyno: "web.2" }),
      window(10, 900, 45, { dyno: "web.3" }), // removed 45 s ago
    ];
    expect(lastWindowRequestsPerSecond(windows)).toBeCloseTo(50, 9);
  });
});

describe("decideWeb", () => {
  it("adds dynos in proportion to how far the percentile is over the threshold, and says why", () => {
    const decision = decideWith({ windows: [window(412)] });
    expect(decision.targetQuantity).toBe(5);
    expect(decision.direction).toBe("up");
    expect(decision.apply).toBe(true);
    expect(decision.driver).toBe("queue-time");
    expect(decision.reason).toBe("web 3 → 5: p95 queue time 412 ms > 250 ms over 60 s; 3 600 requests/min");
    // Twice the threshold doubles the formation; far over it, the step caps the jump.
    expect(decideWith({ windows: [window(500)] }).targetQuantity).toBe(6);
    const far = decideWith({ windows: [window(5000)] });
    expect(far.targetQuantity).toBe(8);
    expect(far.reason).toContain("57 more dynos wanted, at most 5 a decision");
    // Just over: at least one.
    expect(decideWith({ windows: [window(251)] }).targetQuantity).toBe(4);
  });

  it("uses p90 when the rule says so", () => {
    const windows = [{ endedAt: secondsAgo(5), windowSeconds: 10, requests: 500, queueTimeMs: { p50: 100, p95: 400, p99: 900 } }];
    const p95 = decideWith({ windows });
    const p90 = decideWith({ windows }, { percentile: "p90" });
    expect(p95.queueTimeMs).toBeCloseTo(400, 6);
    expect(p90.queueTimeMs).toBeCloseTo(100 + (300 * 0.4) / 0.45, 6);
    expect(p90.reason).toMatch(/^web 3 → 5: p90 queue time 367 ms > 250 ms over 60 s/);
  });

  it("holds between the thresholds (hysteresis), and only windows inside the rule's window count", () => {
    const between = decideWith({ windows: [window(120)] });
    expect(between.targetQuantity).toBe(3);
    expect(between.driver).toBe("steady");
    expect(between.reason).toBe("web holds at 3: p95 queue time 120 ms within 50 ms–250 ms over 60 s; 3 600 requests/min");
    // A spike 90 s ago is outside a 60 s window: only the quiet window counts.
    const old = decideWith({ windows: [window(2000, 600, 90), window(120)] });
    expect(old.queueTimeMs).toBeCloseTo(120, 6);
  });

  it("removes one dyno at a time below the downscale threshold, after the cooldown", () => {
    const quiet = [window(10, 60)];
    const down = decideWith({ windows: quiet, lastUpscaleAt: secondsAgo(300) });
    expect(down.targetQuantity).toBe(2);
    expect(down.direction).toBe("down");
    expect(down.reason).toBe("web 3 → 2: p95 queue time 10 ms < 50 ms over 60 s; 360 requests/min");
    const cooling = decideWith({ windows: quiet, currentQuantity: 6, lastDownscaleAt: secondsAgo(20) });
    expect(cooling.targetQuantity).toBe(6);
    expect(cooling.driver).toBe("cooldown");
    expect(cooling.reason).toContain("downscale cooldown, 40 s left");
    // An upscale restarts the downscale cooldown too.
    expect(decideWith({ windows: quiet, lastUpscaleAt: secondsAgo(59) }).targetQuantity).toBe(3);
    // No traffic at all: no queue, down to min one step at a time.
    const idle = decideWith({ windows: [window(0, 0)], currentQuantity: 2 });
    expect(idle.targetQuantity).toBe(1);
    expect(idle.reason).toBe("web 2 → 1: no request over 60 s; 0 requests/min");
  });

  it("waits out the upscale cooldown while new dynos boot", () => {
    const decision = decideWith({ windows: [window(900)], lastUpscaleAt: secondsAgo(10) });
    expect(decision.targetQuantity).toBe(3);
    expect(decision.driver).toBe("cooldown");
    expect(decision.reason).toContain("upscale cooldown, 20 s left");
    // Past the cooldown, only reports from after it count: none yet, hold; a settled queue, hold.
    const waiting = decideWith({ windows: [window(900)], lastUpscaleAt: secondsAgo(31) });
    expect(waiting.targetQuantity).toBe(3);
    expect(waiting.reason).toContain("waiting for a report from after the last upscale");
    const settled = decideWith({ windows: [window(900, 600, 20), window(150, 600, 0.5)], lastUpscaleAt: secondsAgo(31) });
    expect(settled.queueTimeMs).toBeGreaterThan(250);
    expect(settled.targetQuantity).toBe(3);
    expect(settled.reason).toContain("p95 150 ms since the last upscale: holding");
    const still = decideWith({ windows: [window(900, 600, 20), window(500, 600, 0.5)], lastUpscaleAt: secondsAgo(31) });
    expect(still.targetQuantity).toBe(6);
    expect(still.reason).toMatch(/> 250 ms over 60 s; p95 500 ms since the last upscale; 3 600 requests\/min$/);
  });

  it("never goes below what the last window's throughput needs", () => {
    // 50 requests/s × 40 ms = 2 busy dynos; at 50 % utilisation that is 4.
    const busyQuiet = [window(5, 500, 4, { meanServiceMs: 40, dyno: "web.1" })];
    expect(throughputFloorOf(rule, 50, 40)).toBe(4);
    const held = decideWith({ windows: busyQuiet, currentQuantity: 4 });
    expect(held.targetQuantity).toBe(4);
    expect(held.driver).toBe("throughput");
    expect(held.throughputFloor).toBe(4);
    expect(held.reason).toBe("web holds at 4: p95 queue time 5 ms < 50 ms over 60 s; throughput needs 4 dynos (3 000 requests/min × 40 ms at 50 % utilisation)");
    expect(decideWith({ windows: busyQuiet, currentQuantity: 5 }).targetQuantity).toBe(4);
    // Concurrency per dyno divides the need; a caller's service time overrides the windows'.
    expect(decideWith({ windows: busyQuiet, currentQuantity: 4 }, { concurrencyPerDyno: 4 }).targetQuantity).toBe(3);
    expect(decideWith({ windows: busyQuiet, currentQuantity: 4, meanServiceMs: 100 }).throughputFloor).toBe(10);
    // An upscale goes at least to the floor.
    const up = decideWith({ windows: [window(300, 500, 4, { meanServiceMs: 100 })], currentQuantity: 2 });
    expect(up.targetQuantity).toBe(10);
    expect(up.driver).toBe("throughput");
  });

  it("keeps at least one dyno and at least min", () => {
    expect(decideWith({ windows: [window(0, 0)], currentQuantity: 1 }).targetQuantity).toBe(1);
    expect(decideWith({ windows: [window(0, 0)], currentQuantity: 1 }, { minQuantity: 0 }).targetQuantity).toBe(1);
    const raised = decideWith({ windows: [window(120)], currentQuantity: 1 }, { minQuantity: 3 });
    expect(raised.targetQuantity).toBe(3);
    expect(raised.reason).toContain("raised to min 3");
    expect(decideWith({ windows: [window(10)], currentQuantity: 4, lastDownscaleAt: secondsAgo(600) }, { minQuantity: 4 }).targetQuantity).toBe(4);
  });

  it("holds without reports, never downscaling on no data", () => {
    const decision = decideWith({ windows: [window(10, 600, 120)], currentQuantity: 5 });
    expect(decision.targetQuantity).toBe(5);
    expect(decision.driver).toBe("missing");
    expect(decision.reason).toBe("web holds at 5: no web report in the last 60 s: holding, never downscaling without data");
  });

  it("keeps to Heroku's limits: Eco and Basic one dyno, Performance 10, 100 an app", () => {
    for (const size of ["eco", "basic", "Basic"]) {
      const capped = decideWith({ windows: [window(2000)], currentQuantity: 1 }, { dynoSize: size });
      expect(capped.targetQuantity).toBe(1);
      expect(capped.limit).toBe(1);
    }
    const performance = decideWith({ windows: [window(5000)], currentQuantity: 8 }, { dynoSize: "performance-m", maxQuantity: 50 });
    expect(performance.targetQuantity).toBe(10);
    expect(performance.driver).toBe("limit");
    expect(performance.reason).toContain("capped at 10: performance-m dynos run at most 10 per process type on Heroku");
    const app = decideWith({ windows: [window(5000)], currentQuantity: 20, otherAppDynos: 78 }, { maxQuantity: 100 });
    expect(app.targetQuantity).toBe(22);
    expect(app.reason).toContain("capped at 22: Heroku runs at most 100 dynos per app (78 dynos in other process types)");
    // Heroku's limit wins over min: it would refuse the change.
    expect(decideWith({ windows: [window(120)], currentQuantity: 3 }, { dynoSize: "eco", minQuantity: 2 }).targetQuantity).toBe(1);
    // Within the rule's own max, the max says so.
    const max = decideWith({ windows: [window(5000)], currentQuantity: 18 });
    expect(max.targetQuantity).toBe(20);
    expect(max.reason).toContain("capped at max 20");
    // What the queue time asked for is kept: at max, the app is told it needs more.
    expect(max.neededQuantity).toBe(18 + 18 * 19);
  });

  it("dry run decides and explains without asking to apply", () => {
    const decision = decideWith({ windows: [window(412)] }, { dryRun: true });
    expect(decision.targetQuantity).toBe(5);
    expect(decision.apply).toBe(false);
    expect(decision.reason).toMatch(/\(dry run: not applied\)$/);
  });

  it("formats queue times as people read them", () => {
    expect(formatMs(8.46)).toBe("8.5 ms");
    expect(formatMs(412.4)).toBe("412 ms");
    expect(formatMs(1500)).toBe("1.5 s");
  });
});

describe("web rules in the engine", () => {
  const webRule = processRuleSchema.parse({ processType: "web", kind: "web", minQuantity: 1, maxQuantity: 6, web: { upscaleThresholdMs: 250, downscaleThresholdMs: 50 } });

  it("decides web process types with decideWeb and counts the app's other dynos against 100", () => {
    const worker = processRuleSchema.parse({ processType: "worker", minQuantity: 0, maxQuantity: 99 });
    const [web] = decide(
      { checkIntervalSeconds: 10, processTypes: [{ ...webRule, maxQuantity: 10 }, worker] },
      { web: { queues: [], web: [window(2000)] } },
      { web: emptyHistory(3), worker: emptyHistory(95) },
      now,
    );
    expect(web?.desiredQuantity).toBe(5);
    expect(web?.driver).toBe("limit");
    expect(web?.observed.latencyMs).toBeCloseTo(2000, 6);
  });

  it("tells the customer when web sits at its max and queue time asks for more", () => {
    const decisions = decide({ checkIntervalSeconds: 10, processTypes: [webRule] }, { web: { queues: [], web: [window(1000)] } }, { web: emptyHistory(6) }, now);
    expect(decisions[0]).toMatchObject({ desiredQuantity: 6, neededQuantity: 24 });
    const [notice] = notificationsForCheck({ tenantId: "t", decisions, events: [] }, now);
    expect(notice).toMatchObject({ kind: "max", processType: "web" });
    expect(notice?.message).toMatch(/^running 6 of 6 dynos while the queue needs 24: web holds at 6: p95 queue time 1 s > 250 ms over 60 s/);
  });

  it("holds on stale reports (a silent agent) and while paused", () => {
    const stale = decide({ checkIntervalSeconds: 10, processTypes: [webRule] }, { web: { queues: [], web: [window(5, 10, 45)] } }, { web: emptyHistory(4) }, now)[0];
    expect(stale?.desiredQuantity).toBe(4);
    expect(stale?.fallback).toBe(true);
    expect(stale?.reason).toMatch(/^web holds at 4: metrics stale \(sampled 45 s ago, limit 30 s\)/);
    const paused = decide({ checkIntervalSeconds: 10, processTypes: [{ ...webRule, paused: true }] }, { web: { queues: [], web: [window(900)] } }, { web: emptyHistory(2) }, now)[0];
    expect(paused?.desiredQuantity).toBe(2);
  });

  it("validates web rules with messages that name the field", () => {
    const issues = (input: object) => processRuleSchema.safeParse({ processType: "web", kind: "web", ...input }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({ minQuantity: 0, maxQuantity: 3 })).toEqual([["minQuantity", "a web process type keeps at least one dyno: minQuantity must be 1 or more"]]);
    expect(issues({ minQuantity: 1, maxQuantity: 3, web: { upscaleThresholdMs: 100, downscaleThresholdMs: 100 } })).toEqual([
      ["web.downscaleThresholdMs", "the downscale queue-time threshold must be below the upscale threshold"],
    ]);
    expect(issues({ minQuantity: 1, maxQuantity: 2, dynoSize: "basic" })).toEqual([["maxQuantity", "at most 1: basic dynos run at most 1 per process type on Heroku"]]);
    expect(issues({ minQuantity: 1, maxQuantity: 11, dynoSize: "performance-l" })).toEqual([["maxQuantity", "at most 10: performance-l dynos run at most 10 per process type on Heroku"]]);
    expect(issues({ minQuantity: 1, maxQuantity: 3, web: { percentile: "p75" } })?.[0]?.[0]).toBe("web.percentile");
    expect(issues({ minQuantity: 1, maxQuantity: 3, web: { windowSeconds: 5 } })?.[0]?.[0]).toBe("web.windowSeconds");
    expect(issues({ minQuantity: 1, maxQuantity: 101 })?.[0]?.[0]).toBe("maxQuantity");
    expect(issues({ minQuantity: 1, maxQuantity: 10, dynoSize: "performance-m" })).toBeUndefined();
  });
});
