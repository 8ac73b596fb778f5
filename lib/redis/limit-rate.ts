import type { Redis } from "ioredis";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/** A fixed-window limit: at most `limit` counted events per `windowSeconds` for one key. */
export interface RateLimit {
  /** What is limited and for whom, e.g. `sso-failures:203.0.113.7`. */
  key: string;
  limit: number;
  windowSeconds: number;
  /** Shown in the 429's message: "failed sign-ins", "connection tests". */
  what: string;
}

const countSchema = z.number().int();

/**
 * Counts events in Redis, shared by every web process, and refuses past the limit with 429 and
 * Retry-After. `take` counts one event and refuses when it is over the limit; `check` counts
 * nothing and refuses when the limit is already reached, for limits that count only failures
 * (a sign-in is checked before it is tried and counted only when it fails).
 */
export async function limitRate(redis: Redis, rate: RateLimit, mode: "take" | "check" = "take", nowMs = Date.now()): Promise<void> {
  const window = Math.floor(nowMs / 1000 / rate.windowSeconds);
  const key = `ebbflow:ratelimit:${rate.key}:${window}`;
  let count: number;
  if (mode === "take") {
    const replies = await redis.multi().incr(key).expire(key, rate.windowSeconds + 1).exec();
    count = parseCount(replies?.[0]?.[1]);
  } else {
    count = parseCount(Number((await redis.get(key)) ?? 0));
  }
  const over = mode === "take" ? count > rate.limit : count >= rate.limit;
  if (!over) return;
  const windowEndsMs = (window + 1) * rate.windowSeconds * 1000;
  const retryAfterSeconds = Math.max(1, Math.ceil((windowEndsMs - nowMs) / 1000));
  throw new AppError("rate_limited", `Too many ${rate.what}: at most ${rate.limit} per ${rate.windowSeconds} s; retry in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });
}

function parseCount(value: unknown): number {
  const count = countSchema.safeParse(value);
  if (!count.success) throw new AppError("unavailable", "The rate limiter is unavailable; try again shortly.");
  return count.data;
}
