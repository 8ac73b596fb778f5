import { describe, expect, it } from "vitest";
import { processTypesOverPlan } from "@/lib/billing/plan-limits";
import { isPaidPlan, planOrHobby, plans } from "@/lib/billing/plans";

const rule = (processType: string, minutesAgo: number, enabled = true) => ({
  processType,
  enabled,
  createdAt: new Date(Date.UTC(2026, 0, 1) - minutesAgo * 60_000),
});

describe("processTypesOverPlan", () => {
  it("keeps the oldest enabled process types and names the rest", () => {
    const rules = [rule("mailers", 10), rule("worker", 30), rule("urgent", 20)];
    expect(processTypesOverPlan("hobby", rules)).toEqual(["urgent", "mailers"]);
    expect(processTypesOverPlan("standard", rules)).toEqual([]);
    expect(processTypesOverPlan("pro", rules)).toEqual([]);
  });

  it("does not count disabled rules against the limit", () => {
    const rules = [rule("worker", 30, false), rule("urgent", 20), rule("mailers", 10, false)];
    expect(processTypesOverPlan("hobby", rules)).toEqual([]);
  });

  it("applies standard's limit of five; pro has none", () => {
    const rules = Array.from({ length: 8 }, (_, index) => rule(`type${index}`, 100 - index));
    expect(processTypesOverPlan("standard", rules)).toEqual(["type5", "type6", "type7"]);
    expect(processTypesOverPlan("pro", rules)).toEqual([]);
  });
});

describe("plan catalogue", () => {
  it("prices hobby free and names the Stripe price variable of paid plans", () => {
    expect(isPaidPlan("hobby")).toBe(false);
    expect(isPaidPlan("pro")).toBe(true);
    expect(plans.standard.stripePriceVariable).toBe("STRIPE_PRICE_STANDARD");
    expect(plans.hobby.stripePriceVariable).toBeNull();
    expect(planOrHobby("platinum").name).toBe("hobby");
  });
});
