import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeSavings } from "@/lib/billing/compute-savings";
import { dynoDollars, dynoPriceFor } from "@/lib/billing/dyno-prices";
import { integrateDynoSeconds } from "@/lib/billing/integrate-formation";
import { monthStartUtc, nextMonthStartUtc } from "@/lib/billing/monthly-savings";

const HOUR_MS = 3_600_000;

describe("dyno prices", () => {
  it("bills a month of one dyno at its monthly price, per second", () => {
    expect(dynoDollars("standard-1x", 720 * 3600)).toBeCloseTo(25, 10);
    expect(dynoDollars("Performance-M", 720 * 3600)).toBeCloseTo(250, 10);
    expect(dynoDollars("performance-l", 3600)).toBeCloseTo(500 / 720, 10);
    expect(dynoDollars("basic", 2 * 3600)).toBeCloseTo(0.0194, 4);
    expect(dynoDollars("eco", 1000 * 3600)).toBeCloseTo(5, 10);
  });

  it("knows Heroku's legacy names and prices unknown sizes as the default", () => {
    expect(dynoPriceFor("2X").size).toBe("standard-2x");
    expect(dynoPriceFor("px").size).toBe("performance-l");
    expect(dynoPriceFor("private-m").size).toBe("standard-1x");
  });
});

describe("integrateDynoSeconds", () => {
  it("integrates quantity over time, from the start quantity through each change", () => {
    const changes = [
      { atMs: 2 * HOUR_MS, quantity: 3 },
      { atMs: 5 * HOUR_MS, quantity: 0 },
    ];
    // 1 dyno for 2 h, 3 for 3 h, 0 for the rest of 10 h.
    expect(integrateDynoSeconds(1, changes, 0, 10 * HOUR_MS)).toBe((2 + 9) * 3600);
  });

  it("ignores changes outside the window and sorts the rest", () => {
    const changes = [
      { atMs: 7 * HOUR_MS, quantity: 1 },
      { atMs: -HOUR_MS, quantity: 9 },
      { atMs: 3 * HOUR_MS, quantity: 2 },
      { atMs: 20 * HOUR_MS, quantity: 9 },
    ];
    expect(integrateDynoSeconds(4, changes, 0, 10 * HOUR_MS)).toBe((4 * 3 + 2 * 4 + 1 * 3) * 3600);
    expect(integrateDynoSeconds(4, changes, 5, 5)).toBe(0);
  });

  it("matches a second-by-second count of running dynos", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.record({ second: fc.integer({ min: 0, max: 599 }), quantity: fc.integer({ min: 0, max: 10 }) }), { maxLength: 30 }),
        (start, raw) => {
          const changes = raw.map((change) => ({ atMs: change.second * 1000, quantity: change.quantity }));
          let bySecond = 0;
          for (let second = 0; second < 600; second += 1) {
            const last = changes.filter((change) => change.atMs <= second * 1000).sort((a, b) => a.atMs - b.atMs).at(-1);
            bySecond += last?.quantity ?? start;
          }
          expect(integrateDynoSeconds(start, changes, 0, 600_000)).toBe(bySecond);
        },
      ),
    );
  });
});

describe("computeSavings", () => {
  it("compares the formation with running every process type at its maximum", () => {
    const savings = computeSavings(0, 720 * HOUR_MS, [
      { processType: "worker", dynoSize: "standard-1x", startQuantity: 0, maxQuantity: 10, changes: [{ atMs: 0, quantity: 2 }] },
      { processType: "urgent", dynoSize: "performance-m", startQuantity: 1, maxQuantity: 1, changes: [] },
    ]);
    expect(savings.usedDynoHours).toBe(3 * 720);
    expect(savings.usedDollars).toBeCloseTo(2 * 25 + 250, 8);
    expect(savings.atMaxDollars).toBeCloseTo(10 * 25 + 250, 8);
    expect(savings.savedDollars).toBeCloseTo(200, 8);
    expect(savings.processTypes.map((line) => line.savedDollars)).toEqual([expect.closeTo(200, 8), 0]);
  });
});

describe("months", () => {
  it("are UTC calendar months", () => {
    expect(monthStartUtc(new Date("2026-12-31T23:59:59Z")).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(nextMonthStartUtc(new Date("2026-12-01T00:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});
