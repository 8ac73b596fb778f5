import { describe, expect, it } from "vitest";
import type { Observation } from "@/bench/policy/policy";
import { autoscalerGemPolicy } from "@/bench/policy/policies/autoscaler-gem";
import { hirefireLatencyPolicy, hirefireRatioPolicy } from "@/bench/policy/policies/hirefire";
import { judoscalePolicy } from "@/bench/policy/policies/judoscale";
import { kedaHpaPolicy } from "@/bench/policy/policies/keda-hpa";

function obs(over: Partial<Observation>): Observation {
  return { sampledAtSeconds: 0, quantity: 0, queues: [], depth: 0, latencySeconds: null, busy: 0, highestBusyDyno: 0, upDynos: over.quantity ?? 0, dynos: [], oneOffRunning: 0, ...over };
}
const noProbe = () => obs({});

describe("HireFire job queue (ratio)", () => {
  const policy = () => hirefireRatioPolicy({ name: "h", checkIntervalSeconds: 60, ratio: 5, min: 0, max: 10, decrementable: false, limit: 0 });

  it("sets ceil((queued + running) / ratio), capped at max", () => {
    expect(policy().check(obs({ quantity: 1, depth: 20, busy: 5 }), 60, noProbe)).toBe(5);
    expect(policy().check(obs({ quantity: 1, depth: 500 }), 60, noProbe)).toBe(10);
  });

  it("without decrementable, scales down only once nothing is queued or running, straight to min", () => {
    const p = policy();
    expect(p.check(obs({ quantity: 6, depth: 0, busy: 3 }), 60, noProbe)).toBeNull();
    expect(p.check(obs({ quantity: 6, depth: 0, busy: 0 }), 120, noProbe)).toBe(0);
  });

  it("with decrementable, follows the ratio down", () => {
    const p = hirefireRatioPolicy({ name: "h", checkIntervalSeconds: 60, ratio: 5, min: 0, max: 10, decrementable: true, limit: 0 });
    expect(p.check(obs({ quantity: 6, depth: 0, busy: 3 }), 60, noProbe)).toBe(1);
  });
});

describe("HireFire job latency", () => {
  const p = () => hirefireLatencyPolicy({ name: "hl", checkIntervalSeconds: 60, minLatencySeconds: 5, maxLatencySeconds: 30, min: 0, max: 4 });

  it("adds one above the maximum, removes one below the minimum, wakes from zero", () => {
    expect(p().check(obs({ quantity: 2, depth: 10, latencySeconds: 45 }), 60, noProbe)).toBe(3);
    expect(p().check(obs({ quantity: 2, depth: 0, latencySeconds: null, busy: 2 }), 60, noProbe)).toBe(1);
    expect(p().check(obs({ quantity: 2, depth: 3, latencySeconds: 10 }), 60, noProbe)).toBeNull();
    expect(p().check(obs({ quantity: 0, depth: 1, latencySeconds: 1 }), 60, noProbe)).toBe(1);
    expect(p().check(obs({ quantity: 4, depth: 10, latencySeconds: 99 }), 60, noProbe)).toBeNull();
  });
});

describe("Judoscale", () => {
  const p = () => judoscalePolicy({ name: "j", upperSeconds: 30, lowerSeconds: 5, jump: 1, upscaleCooldownSeconds: 45, downscaleDelaySeconds: 600, min: 0, max: 5 });

  it("jumps above the upper threshold, then waits out the cooldown", () => {
    const j = p();
    expect(j.check(obs({ quantity: 1, depth: 10, latencySeconds: 40 }), 10, noProbe)).toBe(2);
    expect(j.check(obs({ quantity: 2, depth: 10, latencySeconds: 40 }), 30, noProbe)).toBeNull();
    expect(j.check(obs({ quantity: 2, depth: 10, latencySeconds: 40 }), 60, noProbe)).toBe(3);
  });

  it("downscales by one only after a whole delay below the lower threshold with no busy job", () => {
    const j = p();
    for (let t = 10; t < 600; t += 10) expect(j.check(obs({ quantity: 3 }), t, noProbe)).toBeNull();
    expect(j.check(obs({ quantity: 3 }), 610, noProbe)).toBe(2);
    expect(j.check(obs({ quantity: 2 }), 620, noProbe)).toBeNull();
    const busy = p();
    for (let t = 10; t <= 900; t += 10) expect(busy.check(obs({ quantity: 3, busy: 1 }), t, noProbe)).toBeNull();
  });
});

describe("autoscaler gem", () => {
  const p = () => autoscalerGemPolicy({ name: "g", capacityPerDyno: 5, concurrency: 5, idleTimeoutSeconds: 60, max: 10 });

  it("starts one dyno on enqueue when none runs", () => {
    const g = p();
    expect(g.onEnqueue?.(0, 1)).toBe(1);
    expect(g.onEnqueue?.(1, 2)).toBeNull();
  });

  it("loops only inside a running dyno, sizing linearly and going to zero after the idle timeout", () => {
    const g = p();
    expect(g.check(obs({ quantity: 1, upDynos: 0, depth: 40 }), 15, noProbe)).toBeNull();
    expect(g.check(obs({ quantity: 1, upDynos: 1, depth: 40, busy: 5 }), 30, noProbe)).toBe(9);
    expect(g.check(obs({ quantity: 9, upDynos: 9 }), 45, noProbe)).toBeNull();
    expect(g.check(obs({ quantity: 9, upDynos: 9 }), 105, noProbe)).toBe(0);
  });
});

describe("KEDA with the HPA", () => {
  const p = () => kedaHpaPolicy({ name: "k", targetPerDyno: 5, activation: 0, cooldownSeconds: 300, max: 50 });

  it("activates 0 → 1 on KEDA's 30 s poll only", () => {
    const k = p();
    expect(k.check(obs({ quantity: 0, depth: 10 }), 15, noProbe)).toBeNull();
    expect(k.check(obs({ quantity: 0, depth: 10 }), 30, noProbe)).toBe(1);
  });

  it("limits scale-up to max(2n, n + 4) per sync and keeps the tolerance band", () => {
    expect(p().check(obs({ quantity: 1, depth: 200 }), 15, noProbe)).toBe(5);
    expect(p().check(obs({ quantity: 10, depth: 200 }), 15, noProbe)).toBe(20);
    expect(p().check(obs({ quantity: 10, depth: 52 }), 15, noProbe)).toBeNull();
  });

  it("scales down to the largest recommendation of the last 300 s, and to zero after the cooldown", () => {
    const k = p();
    expect(k.check(obs({ quantity: 8, depth: 40 }), 15, noProbe)).toBeNull();
    expect(k.check(obs({ quantity: 8, depth: 5 }), 30, noProbe)).toBeNull();
    expect(k.check(obs({ quantity: 8, depth: 5 }), 330, noProbe)).toBe(1);
    expect(k.check(obs({ quantity: 1, depth: 0 }), 345, noProbe)).toBeNull();
    expect(k.check(obs({ quantity: 1, depth: 0 }), 660, noProbe)).toBe(0);
  });
});
