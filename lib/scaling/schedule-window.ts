import { z } from "zod";

/** Days in the order `Date.getDay` counts them, so an index is a weekday number. */
export const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof weekdays)[number];

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "a 24-hour time, HH:MM (24:00 for end of day)");

/** True when the runtime knows the IANA zone; checked once per zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A weekly time window, in the customer's time zone, that overrides min and max while it is
 * open. `start` after `end` means the window runs past midnight into the next day (it belongs
 * to the day it starts on). Wall-clock times, so a window follows daylight saving changes.
 */
export const scheduleWindowSchema = z
  .object({
    name: z.string().max(80).optional(),
    days: z.array(z.enum(weekdays)).min(1).max(7),
    start: clockTime,
    end: clockTime,
    timeZone: z.string().refine(isTimeZone, "an IANA time zone such as Europe/Berlin"),
    minQuantity: z.number().int().min(0).max(100).optional(),
    maxQuantity: z.number().int().min(0).max(100).optional(),
  })
  .refine((w) => w.minQuantity !== undefined || w.maxQuantity !== undefined, {
    message: "a schedule window sets minQuantity, maxQuantity or both",
  })
  .refine((w) => w.start !== w.end, { message: "a window needs a start and an end that differ" });

export type ScheduleWindow = z.output<typeof scheduleWindowSchema>;

const dayPattern = /^(sun|mon|tue|wed|thu|fri|sat)(?:-(sun|mon|tue|wed|thu|fri|sat))?$/;

function expandDays(text: string): Weekday[] | null {
  const days: Weekday[] = [];
  for (const part of text.toLowerCase().split(",")) {
    const match = dayPattern.exec(part.trim());
    if (!match) return null;
    const from = weekdays.indexOf(match[1] as Weekday);
    const to = match[2] ? weekdays.indexOf(match[2] as Weekday) : from;
    // A range may wrap past Saturday: "Fri-Mon" is Fri, Sat, Sun, Mon.
    for (let i = from; ; i = (i + 1) % 7) {
      const day = weekdays[i];
      if (day && !days.includes(day)) days.push(day);
      if (i === to) break;
    }
  }
  return days;
}

/**
 * Reads the short form people type, e.g. `Mon-Fri 08:00-18:00 Europe/Berlin`, into the parts
 * of a window (quantities are set separately). Returns null when the text does not fit.
 */
export function parseScheduleText(
  text: string,
): Pick<ScheduleWindow, "days" | "start" | "end" | "timeZone"> | null {
  const match = /^\s*(\S+)\s+(\d{2}:\d{2})-(\d{2}:\d{2})\s+(\S+)\s*$/.exec(text);
  if (!match) return null;
  const [, dayText = "", start = "", end = "", timeZone = ""] = match;
  const days = expandDays(dayText);
  if (!days || !isTimeZone(timeZone)) return null;
  if (!clockTime.safeParse(start).success || !clockTime.safeParse(end).success) return null;
  return { days, start, end, timeZone };
}
