import { describe, expect, it } from "vitest";
import { ManualClock } from "@/sim/clock";
import { RateLimiter } from "@/sim/rate-limiter";

describe("RateLimiter", () => {
  it("starts full at 4500, empties one call at a time and refills 75 a minute up to the cap", async () => {
    const clock = new ManualClock({ startMs: 0 });
    const limiter = new RateLimiter(clock);
    expect(limiter.remaining("a")).toBe(4500);
    for (let call = 0; call < 4500; call += 1) expect(limiter.take("a")).toBe(true);
    expect(limiter.take("a")).toBe(false);
    expect(limiter.remaining("b")).toBe(4500);
    await clock.advanceSeconds(30);
    expect(limiter.remaining("a")).toBe(37);
    await clock.advanceSeconds(30);
    expect(limiter.remaining("a")).toBe(75);
    await clock.advanceSeconds(24 * 60 * 60);
    expect(limiter.remaining("a")).toBe(4500);
  });
});
