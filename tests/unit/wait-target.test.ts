import { describe, expect, it } from "vitest";
import { parseProcessRule } from "@/lib/scaling/rules";
import { derivedWaitTarget, dollarsPerDynoSecond, waitTargetOf } from "@/lib/scaling/wait-target";

describe("the wait target", () => {
  it("is the customer's when set", () => {
    expect(waitTargetOf(parseProcessRule({ processType: "worker", waitTargetSeconds: 45, jobSeconds: 3000 }))).toBe(45);
  });

  it("is derived from the typical job time when not set", () => {
    expect(derivedWaitTarget(null)).toBe(30);
    expect(derivedWaitTarget(5)).toBe(30);
    expect(derivedWaitTarget(59.9)).toBe(30);
    expect(derivedWaitTarget(60)).toBe(60);
    expect(derivedWaitTarget(599)).toBe(60);
    expect(derivedWaitTarget(600)).toBe(120);
    expect(waitTargetOf(parseProcessRule({ processType: "worker", jobSeconds: 900 }))).toBe(120);
  });

  it("refuses a target under a second or a negative job time, naming the field", () => {
    const bad = (input: object) => {
      try {
        parseProcessRule({ processType: "worker", ...input });
        return null;
      } catch (error) {
        return String(error);
      }
    };
    expect(bad({ waitTargetSeconds: 0 })).toContain("waitTargetSeconds");
    expect(bad({ jobSeconds: -1 })).toContain("jobSeconds");
  });

  it("prices a dyno second from the size, Standard-1X when unknown", () => {
    const perf = dollarsPerDynoSecond(parseProcessRule({ processType: "worker", dynoSize: "performance-m" }));
    const std = dollarsPerDynoSecond(parseProcessRule({ processType: "worker" }));
    expect(perf / std).toBeCloseTo(10, 6);
    expect(std * 720 * 3600).toBeCloseTo(25, 6);
  });
});
