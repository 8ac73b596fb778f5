import { describe, expect, it } from "vitest";
import { ebbflowPolicy, herokuAutoscalingPolicy } from "@/bench/web/policies";
import type { WebRule } from "@/lib/scaling/web-decide";

/** Feeds one minute of responses of `responseMs` at `perSecond` to the policy. */
function minuteOf(policy: ReturnType<typeof herokuAutoscalingPolicy>, responseMs: number, perSecond: number, startSeconds: number) {
  for (let i = 0; i < perSecond * 60; i += 1) policy.onResponse?.({ dyno: "web.1", queueMs: 0, responseMs, tSeconds: startSeconds + i / perSecond });
}

describe("heroku-autoscaling as the benchmark reads it", () => {
  it("adds one dyno a minute while the minute's p95 response time is above the desired one", () => {
    const policy = herokuAutoscalingPolicy({ desiredP95Ms: 500, minQuantity: 1, maxQuantity: 3 });
    expect(policy.everySeconds).toBe(60);
    let quantity = 1;
    const seen: (number | null)[] = [];
    for (let minute = 0; minute < 4; minute += 1) {
      minuteOf(policy, 900, 10, minute * 60);
      const next = policy.decide((minute + 1) * 60, quantity);
      seen.push(next);
      quantity = next ?? quantity;
    }
    expect(seen).toEqual([2, 3, null, null]); // +1 each minute, never past max
  });

  it("removes one dyno only after calm minutes, and only when the past hour's best rate per dyno needs fewer", () => {
    const policy = herokuAutoscalingPolicy({ desiredP95Ms: 500, minQuantity: 1, maxQuantity: 10 });
    // 40 requests/s met the target on 4 dynos: 10 a dyno.
    minuteOf(policy, 300, 40, 0);
    expect(policy.decide(60, 4)).toBeNull(); // one calm minute is not enough
    minuteOf(policy, 300, 40, 60);
    expect(policy.decide(120, 4)).toBeNull(); // throughput still needs 4
    // Traffic halves: 20 requests/s need 2 dynos at 10 a dyno, but it comes down one at a time.
    minuteOf(policy, 300, 20, 120);
    expect(policy.decide(180, 4)).toBe(3);
    minuteOf(policy, 300, 20, 180);
    expect(policy.decide(240, 3)).toBe(2);
    minuteOf(policy, 300, 20, 240);
    expect(policy.decide(300, 2)).toBeNull();
  });
});

describe("Ebbflow in the benchmark", () => {
  const rule: WebRule = {
    processType: "web",
    percentile: "p95",
    windowSeconds: 60,
    upscaleThresholdMs: 100,
    downscaleThresholdMs: 20,
    minQuantity: 1,
    maxQuantity: 10,
    maxStep: 5,
    upscaleCooldownSeconds: 30,
    downscaleCooldownSeconds: 60,
    targetUtilisation: 0.7,
    concurrencyPerDyno: 10,
  };

  it("reports each dyno's window to decideWeb, so one queued dyno among idle ones still scales up", () => {
    const policy = ebbflowPolicy(rule);
    for (let i = 0; i < 100; i += 1) policy.onServiceStart?.({ dyno: "web.1", queueMs: 0, tSeconds: 1 });
    for (let i = 0; i < 100; i += 1) policy.onServiceStart?.({ dyno: "web.2", queueMs: 400, tSeconds: 1 });
    // Half the requests waited 400 ms: the combined p95 is 400 ms, 4 × the threshold.
    expect(policy.decide(10, 2)).toBe(7);
  });

  it("holds without reports and never goes below min", () => {
    const policy = ebbflowPolicy(rule);
    expect(policy.decide(10, 1)).toBeNull();
    policy.onServiceStart?.({ dyno: "web.1", queueMs: 0, tSeconds: 11 });
    expect(policy.decide(20, 1)).toBeNull();
  });
});
