import { describe, expect, it } from "vitest";
import { processRuleSchema } from "@/lib/scaling/rules";
import { boundsAt, isWindowOpen, localTime } from "@/lib/scaling/schedule";
import { scheduleWindowSchema } from "@/lib/scaling/schedule-window";

const window = (over: Record<string, unknown>) =>
  scheduleWindowSchema.parse({ days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "18:00", timeZone: "Europe/Berlin", minQuantity: 3, ...over });

describe("localTime", () => {
  it("reads the wall clock of the zone, not UTC", () => {
    // 2024-03-04 is a Monday; 07:30 UTC is 08:30 in Berlin (CET, UTC+1).
    expect(localTime(new Date("2024-03-04T07:30:00Z"), "Europe/Berlin")).toEqual({ weekday: 1, minutes: 8 * 60 + 30 });
    // ...and still Sunday evening in New York.
    expect(localTime(new Date("2024-03-04T01:30:00Z"), "America/New_York")).toEqual({ weekday: 0, minutes: 20 * 60 + 30 });
  });
});

describe("isWindowOpen", () => {
  const weekdays = window({});

  it("opens at start and closes at end, on listed days only", () => {
    expect(isWindowOpen(weekdays, new Date("2024-03-04T06:59:00Z"))).toBe(false); // 07:59 Berlin
    expect(isWindowOpen(weekdays, new Date("2024-03-04T07:00:00Z"))).toBe(true); // 08:00
    expect(isWindowOpen(weekdays, new Date("2024-03-04T16:59:00Z"))).toBe(true); // 17:59
    expect(isWindowOpen(weekdays, new Date("2024-03-04T17:00:00Z"))).toBe(false); // 18:00
    expect(isWindowOpen(weekdays, new Date("2024-03-09T10:00:00Z"))).toBe(false); // Saturday
  });

  it("follows summer time: 08:00 Berlin is 07:00 UTC in March and 06:00 UTC in April", () => {
    // Europe switched to summer time on 2024-03-31.
    expect(isWindowOpen(weekdays, new Date("2024-03-29T07:00:00Z"))).toBe(true);
    expect(isWindowOpen(weekdays, new Date("2024-03-29T06:30:00Z"))).toBe(false);
    expect(isWindowOpen(weekdays, new Date("2024-04-01T06:00:00Z"))).toBe(true);
    expect(isWindowOpen(weekdays, new Date("2024-04-01T05:30:00Z"))).toBe(false);
    expect(isWindowOpen(weekdays, new Date("2024-04-01T16:00:00Z"))).toBe(false); // 18:00 CEST
  });

  it("follows the change back: 08:00 Berlin is 06:00 UTC on Friday and 07:00 UTC on Monday after 2024-10-27", () => {
    expect(isWindowOpen(weekdays, new Date("2024-10-25T06:00:00Z"))).toBe(true);
    expect(isWindowOpen(weekdays, new Date("2024-10-28T06:00:00Z"))).toBe(false);
    expect(isWindowOpen(weekdays, new Date("2024-10-28T07:00:00Z"))).toBe(true);
  });

  it("opens a window that starts inside the skipped hour as soon as the clock jumps past it", () => {
    const night = window({ days: ["sun"], start: "02:30", end: "04:00" });
    // 2024-03-31 01:00 UTC is 03:00 CEST: 02:30 never happened, the window is open.
    expect(isWindowOpen(night, new Date("2024-03-31T00:59:00Z"))).toBe(false); // 01:59 CET
    expect(isWindowOpen(night, new Date("2024-03-31T01:00:00Z"))).toBe(true); // 03:00 CEST
    expect(isWindowOpen(night, new Date("2024-03-31T02:00:00Z"))).toBe(false); // 04:00 CEST
  });

  it("is open during both passes of a repeated hour", () => {
    const night = window({ days: ["sun"], start: "02:00", end: "03:00" });
    // 2024-10-27: 02:00–03:00 happens twice in Berlin (00:00–01:00 and 01:00–02:00 UTC).
    expect(isWindowOpen(night, new Date("2024-10-27T00:30:00Z"))).toBe(true);
    expect(isWindowOpen(night, new Date("2024-10-27T01:30:00Z"))).toBe(true);
    expect(isWindowOpen(night, new Date("2024-10-27T02:30:00Z"))).toBe(false);
  });

  it("runs past midnight into the next day for start after end", () => {
    const overnight = window({ days: ["fri"], start: "22:00", end: "06:00", timeZone: "UTC" });
    expect(isWindowOpen(overnight, new Date("2024-03-08T21:59:00Z"))).toBe(false);
    expect(isWindowOpen(overnight, new Date("2024-03-08T22:00:00Z"))).toBe(true);
    expect(isWindowOpen(overnight, new Date("2024-03-09T05:59:00Z"))).toBe(true); // Saturday morning
    expect(isWindowOpen(overnight, new Date("2024-03-09T06:00:00Z"))).toBe(false);
    expect(isWindowOpen(overnight, new Date("2024-03-07T23:00:00Z"))).toBe(false); // Thursday night
  });

  it("treats 24:00 as the end of the day", () => {
    const allDay = window({ days: ["sat"], start: "00:00", end: "24:00", timeZone: "UTC" });
    expect(isWindowOpen(allDay, new Date("2024-03-09T23:59:00Z"))).toBe(true);
    expect(isWindowOpen(allDay, new Date("2024-03-10T00:00:00Z"))).toBe(false);
  });
});

describe("boundsAt", () => {
  const rule = processRuleSchema.parse({
    processType: "worker",
    minQuantity: 0,
    maxQuantity: 4,
    schedules: [
      { name: "monday rush", days: ["mon"], start: "08:00", end: "10:00", timeZone: "Europe/Berlin", minQuantity: 6, maxQuantity: 10 },
      { name: "office hours", days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "18:00", timeZone: "Europe/Berlin", minQuantity: 2 },
      { name: "nights", days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "00:00", end: "06:00", timeZone: "Europe/Berlin", maxQuantity: 1 },
    ],
  });

  it("uses the rule's own bounds outside every window", () => {
    expect(boundsAt(rule, new Date("2024-03-05T19:00:00Z"))).toEqual({ minQuantity: 0, maxQuantity: 4, schedule: null });
  });

  it("lets the first open window win", () => {
    expect(boundsAt(rule, new Date("2024-03-04T07:30:00Z"))).toEqual({ minQuantity: 6, maxQuantity: 10, schedule: "monday rush" });
    expect(boundsAt(rule, new Date("2024-03-04T10:00:00Z"))).toEqual({ minQuantity: 2, maxQuantity: 4, schedule: "office hours" });
  });

  it("keeps the bound a window does not set, and lets the window's own bound win a conflict", () => {
    expect(boundsAt(rule, new Date("2024-03-05T02:00:00Z"))).toEqual({ minQuantity: 0, maxQuantity: 1, schedule: "nights" });
    const high = processRuleSchema.parse({
      processType: "worker",
      minQuantity: 3,
      maxQuantity: 5,
      schedules: [{ days: ["tue"], start: "00:00", end: "24:00", timeZone: "UTC", maxQuantity: 1 }],
    });
    expect(boundsAt(high, new Date("2024-03-05T12:00:00Z"))).toMatchObject({ minQuantity: 1, maxQuantity: 1 });
  });
});
