import { describe, expect, it } from "vitest";
import { ManualClock, RealClock } from "@/sim/clock";

describe("ManualClock", () => {
  it("fires timers in time order, ties in creation order, and only when advanced past them", async () => {
    const clock = new ManualClock({ startMs: 1_000 });
    const fired: string[] = [];
    clock.setTimer(500, () => void fired.push("b"));
    clock.setTimer(100, () => void fired.push("a"));
    clock.setTimer(500, () => void fired.push("c"));
    await clock.advance(499);
    expect(fired).toEqual(["a"]);
    expect(clock.now()).toBe(1_499);
    await clock.advance(1);
    expect(fired).toEqual(["a", "b", "c"]);
  });

  it("runs timers scheduled by callbacks within the same advance, at their own time", async () => {
    const clock = new ManualClock({ startMs: 0 });
    const seen: number[] = [];
    clock.setTimer(10, async () => {
      seen.push(clock.now());
      await Promise.resolve();
      clock.setTimer(10, () => void seen.push(clock.now()));
    });
    await clock.advance(100);
    expect(seen).toEqual([10, 20]);
    expect(clock.now()).toBe(100);
  });

  it("cancels timers and aborts sleeps", async () => {
    const clock = new ManualClock({ startMs: 0 });
    let fired = false;
    clock.setTimer(10, () => void (fired = true)).cancel();
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    await clock.advance(2_000);
    expect(fired).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe("RealClock", () => {
  it("runs sim time faster by its speed factor", async () => {
    const clock = new RealClock({ speed: 100, startMs: 0 });
    const started = Date.now();
    await clock.sleep(2_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(clock.now()).toBeGreaterThanOrEqual(2_000);
    clock.dispose();
  });
});
