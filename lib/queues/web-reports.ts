import type { Redis } from "ioredis";
import { z } from "zod";
import { parseJsonAs } from "@/lib/queues/json";
import type { PushReport } from "@/lib/queues/push";
import type { WebWindow } from "@/lib/scaling/web-windows";

/**
 * Web reports: every web dyno's agent posts its request count and queue-time percentiles once
 * a window (10 s). A web rule combines every dyno's windows over its own window (up to 10
 * minutes), so each report is kept, not just the latest: a sorted set per tenant and process
 * type, scored by arrival, trimmed past the longest window and to the newest WEB_REPORTS_KEPT
 * entries on every write.
 */

/** Longest web rule window plus a minute. */
export const WEB_REPORT_KEEP_SECONDS = 600 + 60;
/** Most windows kept per process type: Heroku's 100 dynos an app, each reporting every 10 s for 10 minutes. */
export const WEB_REPORTS_KEPT = 6000;

export function webReportsKey(tenantId: string, processType: string): string {
  return `ebbflow:web-reports:${tenantId}:${processType}`;
}

const storedWindow = z.object({
  dyno: z.string().nullable(),
  endedAtMs: z.number(),
  windowSeconds: z.number().positive(),
  requests: z.number().int().min(0),
  queueTimeMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable(),
  meanServiceMs: z.number().nullable(),
});

type WebReport = NonNullable<PushReport["web"]>;

/** Keeps one dyno's web window, stamped with when it arrived (the window's end). */
export async function storeWebReport(redis: Redis, tenantId: string, processType: string, dyno: string | null, web: WebReport, nowMs = Date.now()): Promise<void> {
  const key = webReportsKey(tenantId, processType);
  const entry: z.input<typeof storedWindow> = {
    dyno,
    endedAtMs: nowMs,
    windowSeconds: web.window_seconds,
    requests: web.requests,
    queueTimeMs: web.requests > 0 && web.queue_time_ms ? web.queue_time_ms : null,
    meanServiceMs: web.mean_service_ms ?? null,
  };
  await redis
    .multi()
    .zadd(key, nowMs, JSON.stringify(entry))
    .zremrangebyscore(key, "-inf", nowMs - WEB_REPORT_KEEP_SECONDS * 1000)
    .zremrangebyrank(key, 0, -(WEB_REPORTS_KEPT + 1))
    .expire(key, WEB_REPORT_KEEP_SECONDS)
    .exec();
}

/** Every dyno's web windows that closed after `sinceMs`, oldest first; unreadable entries are skipped. */
export async function readWebWindows(redis: Redis, tenantId: string, processType: string, sinceMs: number): Promise<WebWindow[]> {
  const raw = await redis.zrangebyscore(webReportsKey(tenantId, processType), `(${sinceMs}`, "+inf");
  const windows: WebWindow[] = [];
  for (const text of raw) {
    const parsed = parseJsonAs(text, storedWindow);
    if (!parsed) continue;
    const { endedAtMs, ...rest } = parsed;
    windows.push({ ...rest, endedAt: new Date(endedAtMs) });
  }
  return windows;
}
