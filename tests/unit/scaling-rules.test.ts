import { describe, expect, it } from "vitest";
import { jobsPerDynoOf, processRuleSchema, scalingRulesSchema } from "@/lib/scaling/rules";
import { parseScheduleText } from "@/lib/scaling/schedule-window";

describe("processRuleSchema", () => {
  it("fills every default when a customer sets only min and max", () => {
    const rule = processRuleSchema.parse({ processType: "worker", minQuantity: 0, maxQuantity: 8 });
    expect(rule).toMatchObject({
      queues: [],
      concurrencyPerDyno: 1,
      bootSeconds: 30,
      metric: "both",
      jobsPerDyno: null,
      upscaleLatencySeconds: 10,
      downscaleLatencySeconds: 2,
      upscale: { mode: "jump", maxStep: 1, cooldownSeconds: 0 },
      downscale: { delaySeconds: null, maxStep: null, busyAware: true, whenBusyDynosUnknown: "drain" },
      scaleToZero: { idleSeconds: 30, keepWarmAfterStarts: 3, keepWarmSeconds: 900 },
      prewarm: { growth: true, lastWeek: false },
      schedules: [],
      count: { scheduled: false, retries: false },
      fallback: { staleAfterIntervals: 3 },
      dryRun: false,
      paused: false,
    });
    expect(jobsPerDynoOf(rule)).toBe(1);
  });

  it("keeps nested defaults when a nested object is given in part", () => {
    const rule = processRuleSchema.parse({ processType: "worker", maxQuantity: 3, downscale: { delaySeconds: 5 } });
    expect(rule.downscale).toEqual({ delaySeconds: 5, maxStep: null, busyAware: true, whenBusyDynosUnknown: "drain" });
  });

  it("resolves jobsPerDyno to the concurrency unless set", () => {
    expect(jobsPerDynoOf(processRuleSchema.parse({ processType: "w", maxQuantity: 2, concurrencyPerDyno: 5 }))).toBe(5);
    expect(jobsPerDynoOf(processRuleSchema.parse({ processType: "w", maxQuantity: 2, jobsPerDyno: 250 }))).toBe(250);
  });

  it.each([
    [{ processType: "worker", minQuantity: 5, maxQuantity: 2 }, "minQuantity"],
    [{ processType: "bad type!", maxQuantity: 2 }, "processType"],
    [{ processType: "worker", maxQuantity: 101 }, "maxQuantity"],
    [{ processType: "worker", maxQuantity: 2, upscaleLatencySeconds: 1, downscaleLatencySeconds: 5 }, "downscaleLatencySeconds"],
    [{ processType: "worker", maxQuantity: 2, concurrencyPerDyno: 0 }, "concurrencyPerDyno"],
  ])("rejects %j naming the field", (input, field) => {
    const result = processRuleSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(field);
  });

  it("validates schedule windows: zone, times and at least one bound", () => {
    const base = { processType: "worker", maxQuantity: 2 };
    const window = { days: ["mon"], start: "08:00", end: "18:00", timeZone: "Europe/Berlin", minQuantity: 1 };
    expect(processRuleSchema.safeParse({ ...base, schedules: [window] }).success).toBe(true);
    expect(processRuleSchema.safeParse({ ...base, schedules: [{ ...window, timeZone: "Mars/Olympus" }] }).success).toBe(false);
    expect(processRuleSchema.safeParse({ ...base, schedules: [{ ...window, start: "8:00" }] }).success).toBe(false);
    expect(processRuleSchema.safeParse({ ...base, schedules: [{ ...window, minQuantity: undefined }] }).success).toBe(false);
    expect(processRuleSchema.safeParse({ ...base, schedules: [{ ...window, end: "08:00" }] }).success).toBe(false);
  });

  it("wraps a plan's check interval and the process rules", () => {
    const rules = scalingRulesSchema.parse({ checkIntervalSeconds: 10, processTypes: [{ processType: "worker", maxQuantity: 4 }] });
    expect(rules.processTypes[0]?.maxQuantity).toBe(4);
    expect(scalingRulesSchema.safeParse({ checkIntervalSeconds: 0, processTypes: [] }).success).toBe(false);
  });
});

describe("parseScheduleText", () => {
  it("reads the short form people type", () => {
    expect(parseScheduleText("Mon-Fri 08:00-18:00 Europe/Berlin")).toEqual({
      days: ["mon", "tue", "wed", "thu", "fri"],
      start: "08:00",
      end: "18:00",
      timeZone: "Europe/Berlin",
    });
  });

  it("reads lists and ranges that wrap past Saturday", () => {
    expect(parseScheduleText("Fri-Mon 22:00-06:00 UTC")?.days).toEqual(["fri", "sat", "sun", "mon"]);
    expect(parseScheduleText("sat,sun 00:00-24:00 America/New_York")?.days).toEqual(["sat", "sun"]);
  });

  it.each(["Mon-Fri 8-18 Europe/Berlin", "Someday 08:00-18:00 UTC", "Mon 08:00-18:00 Not/AZone", "Mon 25:00-26:00 UTC", ""])(
    "returns null for %j",
    (text) => {
      expect(parseScheduleText(text)).toBeNull();
    },
  );
});
