import { z } from "zod";

/**
 * Epoch seconds below this are seconds, above it milliseconds. 1e11 s is the year 5138 and
 * 1e11 ms is 1973, so no real timestamp is ambiguous. Needed because JSON loses the float/int
 * distinction Ruby keeps: Sidekiq 6 and 7 write `1700000000.123` (float seconds) while
 * Sidekiq 8 writes `1700000000123` (integer ms), and a float seconds value with no fraction
 * (`1700000000.0` in Ruby) reads back in JavaScript as the integer 1700000000.
 */
const SECONDS_LIMIT = 1e11;

export function epochToMs(value: number): number {
  return value < SECONDS_LIMIT ? value * 1000 : value;
}

const epochValue = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);

/** A Sidekiq job hash as far as latency needs it; every other field is ignored. */
const sidekiqJob = z.object({
  enqueued_at: epochValue.optional(),
  created_at: epochValue.optional(),
});

export type ParsedTime = { ok: true; ms: number | null } | { ok: false; reason: string };

/**
 * When the job at the head of a Sidekiq queue was enqueued, in epoch ms. Sidekiq's own
 * latency uses `enqueued_at`, falling back to `created_at`; a job with neither carries no
 * time (ms: null), which is not the same as zero.
 */
export function sidekiqEnqueuedAtMs(payload: string): ParsedTime {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, reason: "the oldest job is not valid JSON" };
  }
  const job = sidekiqJob.safeParse(json);
  if (!job.success) return { ok: false, reason: "the oldest job's enqueued_at is not an epoch timestamp" };
  const value = job.data.enqueued_at ?? job.data.created_at;
  return { ok: true, ms: value === undefined ? null : epochToMs(value) };
}

/**
 * RQ's job timestamps: `%Y-%m-%dT%H:%M:%S.%fZ` (microseconds, UTC), and the older
 * `%Y-%m-%dT%H:%M:%SZ` that RQ still accepts when it reads jobs back.
 */
export function rqTimestampMs(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = ""] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  return Number.isNaN(ms) ? null : ms + Number(fraction.padEnd(6, "0")) / 1000;
}
