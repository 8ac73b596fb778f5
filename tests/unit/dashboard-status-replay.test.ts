import { describe, expect, it } from "vitest";
import { appStatus, type AppStatusInput } from "@/lib/dashboard/app-status";
import { dynoSeconds, replayDecisions } from "@/lib/dashboard/replay-decisions";
import { processRuleSchema } from "@/lib/scaling/rules";

const now = new Date("2026-11-22T12:00:00Z");
const healthy: AppStatusInput = {
  state: "active",
  paused: false,
  dryRun: false,
  authorized: true,
  lastError: null,
  lastCheckAt: new Date(now.getTime() - 5000),
  lastGoodCheckAt: new Date(now.getTime() - 5000),
  ruleCount: 1,
  checkIntervalSeconds: 10,
  now,
};

describe("appStatus", () => {
  it("says the most pressing thing first", () => {
    expect(appStatus(healthy).kind).toBe("healthy");
    expect(appStatus({ ...healthy, paused: true, lastError: "boom", lastGoodCheckAt: null }).kind).toBe("paused");
    expect(appStatus({ ...healthy, lastError: "Heroku refused", lastGoodCheckAt: new Date(now.getTime() - 60_000) })).toMatchObject({ kind: "errors", detail: "Heroku refused" });
    expect(appStatus({ ...healthy, authorized: false }).kind).toBe("not_authorized");
    expect(appStatus({ ...healthy, ruleCount: 0 }).kind).toBe("setup");
    expect(appStatus({ ...healthy, lastCheckAt: new Date(now.getTime() - 10 * 60_000) }).kind).toBe("waiting");
    expect(appStatus({ ...healthy, dryRun: true }).kind).toBe("dry_run");
    expect(appStatus({ ...healthy, state: "provisioning" }).kind).toBe("connecting");
  });

  it("does not call an old error current once a later check succeeded", () => {
    expect(appStatus({ ...healthy, lastError: "old" }).kind).toBe("healthy");
  });
});

describe("replayDecisions", () => {
  it("runs the production engine over recorded samples: up for a backlog, down after it drains", () => {
    const rule = processRuleSchema.parse({ processType: "worker", maxQuantity: 6, concurrencyPerDyno: 5, downscale: { delaySeconds: 20 }, scaleToZero: { idleSeconds: 10, keepWarmAfterStarts: 0 } });
    const startMs = now.getTime();
    const samples = Array.from({ length: 40 }, (_, i) => ({
      atMs: startMs + i * 2000,
      depth: i >= 5 && i < 15 ? 30 : 0,
      latencyMs: i >= 5 && i < 15 ? 12_000 : null,
      busy: 0,
      dynos: 0,
    }));
    const replay = replayDecisions(rule, samples, 2);
    expect(replay.quantities).toHaveLength(40);
    expect(Math.max(...replay.quantities)).toBe(6);
    expect(replay.quantities.at(-1)).toBe(0);
    expect(replay.changes[0]).toMatchObject({ fromQuantity: 0, reason: expect.stringContaining("worker 0 →") });
    expect(dynoSeconds(samples.map((s) => s.atMs), replay.quantities, 2000)).toBeGreaterThan(0);
  });

  it("replays a web rule on the recorded queue time and request rate", () => {
    const rule = processRuleSchema.parse({
      processType: "web",
      kind: "web",
      minQuantity: 1,
      maxQuantity: 6,
      web: { windowSeconds: 10, upscaleThresholdMs: 200, downscaleThresholdMs: 50, upscaleCooldownSeconds: 0, downscaleCooldownSeconds: 10 },
    });
    const startMs = now.getTime();
    const samples = Array.from({ length: 60 }, (_, i) => {
      const busy = i >= 5 && i < 20;
      return {
        atMs: startMs + i * 10_000,
        depth: 0,
        latencyMs: null,
        busy: null,
        dynos: 1,
        requestsPerMinute: busy ? 3000 : 60,
        queueTimeMs: busy ? { p50: 100, p95: 400, p99: 700 } : { p50: 1, p95: 5, p99: 9 },
      };
    });
    const replay = replayDecisions(rule, samples, 10);
    expect(replay.changes[0]).toMatchObject({ fromQuantity: 1, toQuantity: 2, reason: "web 1 → 2: p95 queue time 400 ms > 200 ms over 10 s; 3 000 requests/min" });
    expect(Math.max(...replay.quantities)).toBe(6);
    expect(replay.quantities.at(-1)).toBe(1);
    // Samples without web numbers (an agent that was silent) hold.
    expect(replayDecisions(rule, samples.map((s) => ({ ...s, requestsPerMinute: null })), 10).changes).toEqual([]);
  });
});
