import type { SimClock } from "./clock";

export interface RateLimitOptions {
  /** Bucket size: calls an account can make from full (Heroku: about 4500). */
  capacity: number;
  /** Tokens added per sim minute, continuously (Heroku: about 75). */
  refillPerMinute: number;
}

export const herokuRateLimit: RateLimitOptions = { capacity: 4500, refillPerMinute: 75 };

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/**
 * Heroku's per-account API rate limit: a token bucket that starts full, loses one token per
 * call and refills continuously on the sim clock.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: SimClock,
    private readonly options: RateLimitOptions = herokuRateLimit,
  ) {}

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(key: string): boolean {
    const bucket = this.refill(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Whole tokens left, as the `RateLimit-Remaining` header reports them. */
  remaining(key: string): number {
    return Math.floor(this.refill(key).tokens);
  }

  /** Sets the tokens left for `key` (tests and the admin API use this to skip ahead). */
  set(key: string, tokens: number): void {
    this.buckets.set(key, { tokens: Math.min(this.options.capacity, Math.max(0, tokens)), updatedAtMs: this.clock.now() });
  }

  private refill(key: string): Bucket {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.capacity, updatedAtMs: now };
    const elapsedMinutes = Math.max(0, now - bucket.updatedAtMs) / 60_000;
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + elapsedMinutes * this.options.refillPerMinute);
    bucket.updatedAtMs = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
