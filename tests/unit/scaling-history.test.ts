import { describe, expect, it } from "vitest";
import { confirmDownscale } from "@/lib/scaling/confirm";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { historyWindowSeconds, recordDecision } from "@/lib/scaling/history";
import { processRuleSchema } from "@/lib/scaling/rules";
import type { ProcessDecision, ProcessHistory, ProcessMetrics } from "@/lib/scaling/types";

const t0 = Date.UTC(2024, 2, 5, 12);
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const rule = processRuleSchema.parse({ processType: "worker", maxQuantity: 10, concurrencyPerDyno: 5 });

function metrics(depth: number, busy: number, highestBusyDyno: number | null = null, sampledAt = at(-1)): ProcessMetrics {
  return { queues: [{ name: "default", depth, latencyMs: depth > 0 ? 20_000 : null, busy, scheduled: 0, retries: 0, sampledAt }], highestBusyDyno };
}

function decideOne(m: ProcessMetrics, h: ProcessHistory, now = at(0)): ProcessDecision {
  const [d] = decide({ checkIntervalSeconds: 10, processTypes: [rule] }, { worker: m }, { worker: h }, now);
  if (!d) throw new Error("no decision");
  return d;
}

describe("historyWindowSeconds", () => {
  it("covers the downscale delay and growth pre-warming, plus two intervals", () => {
    // The default delay: boot 30 s + one 10 s check.
    expect(historyWindowSeconds(processRuleSchema.parse({ processType: "w" }), 10)).toBe(60);
    expect(historyWindowSeconds(processRuleSchema.parse({ processType: "w", downscale: { delaySeconds: 60 } }), 10)).toBe(80);
    expect(historyWindowSeconds(processRuleSchema.parse({ processType: "w", downscale: { delaySeconds: 0 } }), 60)).toBe(300);
  });
});

describe("recordDecision", () => {
  it("appends a sample, prunes old ones and moves the quantity only when applied", () => {
    const old = { at: at(-500), neededQuantity: 9, wantedQuantity: 9, depth: 0 };
    const h: ProcessHistory = { ...emptyHistory(2), samples: [old] };
    const d = decideOne(metrics(40, 10), h);
    expect(d.direction).toBe("up");
    const applied = recordDecision(rule, h, d, at(0), 10, true);
    expect(applied.samples).toEqual([{ at: at(0), neededQuantity: d.neededQuantity, wantedQuantity: d.wantedQuantity, depth: 40 }]);
    expect(applied).toMatchObject({ currentQuantity: d.desiredQuantity, lastUpscaleAt: at(0), lastDownscaleAt: null, lastWorkAt: at(0) });
    const refused = recordDecision(rule, h, d, at(0), 10, false);
    expect(refused).toMatchObject({ currentQuantity: 2, lastUpscaleAt: null });
  });

  it("adds no sample for a fallback decision and does not count it as work", () => {
    const h: ProcessHistory = { ...emptyHistory(3), lastWorkAt: at(-100) };
    const d = decideOne(metrics(50, 5, null, at(-300)), h);
    expect(d.fallback).toBe(true);
    const next = recordDecision(rule, h, d, at(0), 10, false);
    expect(next.samples).toEqual([]);
    expect(next.lastWorkAt).toEqual(at(-100));
  });

  it("records when work starts after an idle spell, over the last hour", () => {
    let h: ProcessHistory = { ...emptyHistory(1), workStarts: [at(-4000), at(-1000)], lastWorkAt: at(-600) };
    h = recordDecision(rule, h, decideOne(metrics(1, 0), h), at(0), 10, true);
    expect(h.workStarts).toEqual([at(-1000), at(0)]);
    // Work seen again at the next check is the same spell, not a new start.
    h = recordDecision(rule, h, decideOne(metrics(0, 1), h, at(10)), at(10), 10, true);
    expect(h.workStarts).toEqual([at(-1000), at(0)]);
  });

  it("keeps last week's need for the scheduler to refresh", () => {
    const h: ProcessHistory = { ...emptyHistory(1), lastWeekNeededQuantity: 4 };
    expect(recordDecision(rule, h, decideOne(metrics(0, 0), h), at(0), 10, true).lastWeekNeededQuantity).toBe(4);
  });
});

describe("confirmDownscale", () => {
  const steady = (current: number): ProcessHistory => ({
    ...emptyHistory(current),
    lastWorkAt: at(-1),
    samples: [at(-80), at(-70), at(-60), at(-50), at(-40), at(-30), at(-20), at(-10)].map((a) => ({ at: a, neededQuantity: 1, wantedQuantity: 1, depth: 0 })),
  });

  it("passes upscales and holds through", () => {
    const up = decideOne(metrics(40, 10), steady(2));
    expect(confirmDownscale(up, decideOne(metrics(0, 0), steady(2)))).toBe(up);
  });

  it("withdraws a downscale that a fresh probe no longer supports", () => {
    const first = decideOne(metrics(0, 2, 1), steady(4));
    expect(first).toMatchObject({ direction: "down", desiredQuantity: 1 });
    const fresh = decideOne(metrics(0, 3, 4), steady(4)); // a job landed on dyno 4 meanwhile
    const confirmed = confirmDownscale(first, fresh);
    expect(confirmed).toMatchObject({ direction: "none", desiredQuantity: 4, apply: false });
    expect(confirmed.reason).toContain("downscale withdrawn on a fresh probe");
  });

  it("applies the larger of the two downscales", () => {
    const first = decideOne(metrics(0, 1, 1), steady(4));
    const fresh = decideOne(metrics(0, 2, 2), steady(4));
    expect(confirmDownscale(first, fresh).desiredQuantity).toBe(2);
    expect(confirmDownscale(fresh, first).desiredQuantity).toBe(2);
  });
});
