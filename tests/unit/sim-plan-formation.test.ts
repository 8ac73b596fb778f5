import { describe, expect, it } from "vitest";
import { dynoCostDollars, dynoSizeOrThrow, findDynoSize } from "@/sim/dyno-sizes";
import { HerokuError } from "@/sim/heroku-error";
import { planFormationUpdate } from "@/sim/platform/plan-formation-update";

const standard = dynoSizeOrThrow("standard-1x");
const basic = dynoSizeOrThrow("basic");

function errorOf(run: () => unknown): HerokuError {
  try {
    run();
  } catch (error) {
    if (error instanceof HerokuError) return error;
    throw error;
  }
  throw new Error("expected a HerokuError");
}

describe("planFormationUpdate", () => {
  const current = [
    { type: "web", id: "f-web", quantity: 1, size: basic },
    { type: "worker", id: "f-worker", quantity: 2, size: standard },
  ];

  it("applies quantities and sizes by type name or formation id", () => {
    expect(planFormationUpdate(current, [{ type: "f-worker", quantity: 5, size: "Performance-M" }])).toEqual([
      { type: "worker", quantity: 5, size: dynoSizeOrThrow("performance-m") },
    ]);
  });

  it("limits Eco and Basic to one dyno per process type", () => {
    const error = errorOf(() => planFormationUpdate(current, [{ type: "web", quantity: 2 }]));
    expect(error).toMatchObject({ status: 422, id: "cannot_run_above_limit" });
    expect(error.message).toBe("Cannot run more than 1 Basic size dynos per process type.");
    expect(error.toBody()).toMatchObject({ limit: 1, size: "Basic" });
  });

  it("limits Performance to 10 per process type and apps to 100 dynos", () => {
    expect(errorOf(() => planFormationUpdate(current, [{ type: "worker", quantity: 11, size: "performance-l" }])).message).toContain(
      "10 Performance-L",
    );
    expect(planFormationUpdate(current, [{ type: "worker", quantity: 99 }])).toHaveLength(1);
    expect(errorOf(() => planFormationUpdate(current, [{ type: "worker", quantity: 100 }])).message).toBe(
      "Cannot run more than 100 dynos per app.",
    );
  });

  it("rejects unknown types, sizes and negative quantities", () => {
    expect(errorOf(() => planFormationUpdate(current, [{ type: "clock", quantity: 1 }])).status).toBe(404);
    expect(errorOf(() => planFormationUpdate(current, [{ type: "worker", size: "hobby" }])).id).toBe("invalid_params");
    expect(errorOf(() => planFormationUpdate(current, [{ type: "worker", quantity: -1 }])).id).toBe("invalid_params");
  });
});

describe("dyno sizes", () => {
  it("accepts any case and legacy names, and bills per second", () => {
    expect(findDynoSize("Standard-2X")?.name).toBe("standard-2x");
    expect(findDynoSize("1X")?.name).toBe("standard-1x");
    expect(dynoCostDollars(standard, 3600)).toBeCloseTo(0.035, 10);
    expect(dynoCostDollars(dynoSizeOrThrow("performance-l"), 1800)).toBeCloseTo(0.347, 10);
  });
});
