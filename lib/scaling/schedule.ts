import type { ProcessRule } from "@/lib/scaling/rules";
import { weekdays, type ScheduleWindow } from "@/lib/scaling/schedule-window";

/** Min and max in force at one instant, and the schedule window that set them, if any. */
export interface Bounds {
  minQuantity: number;
  maxQuantity: number;
  /** The matching window's name (or its text), null when the rule's own min and max apply. */
  schedule: string | null;
}

const weekdayNumbers: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

interface LocalTime {
  weekday: number;
  minutes: number;
}

// Building a DateTimeFormat is far dearer than using one; the simulator asks millions of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Weekday (0 = Sunday) and minutes past midnight on the wall clock of `timeZone` at `at`. */
export function localTime(at: Date, timeZone: string): LocalTime {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type === "weekday") weekday = weekdayNumbers[part.value] ?? 0;
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  return { weekday, minutes: hour * 60 + minute };
}

function toMinutes(clock: string): number {
  const [h = "0", m = "0"] = clock.split(":");
  return Number(h) * 60 + Number(m);
}

/** True while `window` is open at `at`, judged on the wall clock of the window's time zone. */
export function isWindowOpen(window: ScheduleWindow, at: Date): boolean {
  const { weekday, minutes } = localTime(at, window.timeZone);
  const start = toMinutes(window.start);
  const end = toMinutes(window.end);
  const today = weekdays[weekday];
  const yesterday = weekdays[(weekday + 6) % 7];
  if (start < end) return today !== undefined && window.days.includes(today) && minutes >= start && minutes < end;
  // Past midnight: open from start on a listed day, or before end on the day after one.
  if (today !== undefined && window.days.includes(today) && minutes >= start) return true;
  return yesterday !== undefined && window.days.includes(yesterday) && minutes < end;
}

function describe(window: ScheduleWindow): string {
  return window.name ?? `${window.days.join(",")} ${window.start}-${window.end} ${window.timeZone}`;
}

/**
 * The min and max in force at `now`: the first open schedule window overrides whichever of the
 * two it sets (so people can order windows from specific to general, as other tools do).
 * A window that sets only one bound leaves the other as the rule has it; if that leaves min
 * above max, the window's own bound wins.
 */
export function boundsAt(rule: ProcessRule, now: Date): Bounds {
  for (const window of rule.schedules) {
    if (!isWindowOpen(window, now)) continue;
    let minQuantity = window.minQuantity ?? rule.minQuantity;
    let maxQuantity = window.maxQuantity ?? rule.maxQuantity;
    if (minQuantity > maxQuantity) {
      if (window.minQuantity !== undefined) maxQuantity = minQuantity;
      else minQuantity = maxQuantity;
    }
    return { minQuantity, maxQuantity, schedule: describe(window) };
  }
  return { minQuantity: rule.minQuantity, maxQuantity: rule.maxQuantity, schedule: null };
}
