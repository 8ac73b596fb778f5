import type { Redis } from "ioredis";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { boundedCount, boundedMs, plainName } from "@/lib/queues/bounded";
import { probeResultSchema, type ProbeResult } from "@/lib/queues/schema";
import { summarize } from "@/lib/queues/summarize";

/**
 * Push: a tenant's agent posts its queue numbers to Ebbflow, which keeps the latest report
 * per process type in Redis for a short while. The scheduler reads it back instead of
 * probing; a report older than three check intervals counts as missing, so a dead agent
 * makes the engine hold rather than scale on old numbers.
 */

/** The body an agent posts. snake_case, as agents in other languages write it. */
export const pushReportSchema = z.object({
  process_type: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,63}$/, "must be a Procfile process type (letters, digits, - and _)")
    .default("worker"),
  queues: z
    .array(
      z.object({
        name: plainName(256),
        depth: boundedCount,
        latency_ms: boundedMs.nullable().optional(),
        busy: boundedCount.nullable().optional(),
      }),
    )
    .max(200),
  /** Wire format version (docs/AGENT_PROTOCOL.md); 1 when absent. */
  protocol: z.union([z.literal(1), z.literal(2)]).default(1),
  /**
   * Protocol 2: the reporting app's dynos of this process type, by Heroku name, with whether
   * each has stopped fetching (after a quiet instruction) and the jobs it runs.
   */
  dynos: z
    .array(
      z.object({
        name: z.string().regex(/^[a-zA-Z0-9_-]{1,63}\.\d{1,6}$/, "must be a dyno name like worker.3"),
        quiet: z.boolean(),
        busy: z.number().int().min(0),
      }),
    )
    .max(200)
    .optional(),
  /**
   * Request queue time from an agent's web middleware (docs/AGENT_PROTOCOL.md), kept per dyno
   * for the web rule's window (lib/queues/web-reports.ts).
   */
  web: z
    .object({
      window_seconds: z.number().min(1).max(3600),
      requests: z.number().int().min(0).max(1_000_000_000),
      queue_time_ms: z
        .object({ p50: z.number().min(0).max(3_600_000), p95: z.number().min(0).max(3_600_000), p99: z.number().min(0).max(3_600_000) })
        .refine((q) => q.p50 <= q.p95 && q.p95 <= q.p99, "percentiles must not decrease: p50 ≤ p95 ≤ p99")
        .optional(),
      /** Mean time serving a request after it left the queue, ms, when the middleware measures it. */
      mean_service_ms: z.number().min(0).max(3_600_000).optional(),
    })
    .refine((web) => web.requests === 0 || web.queue_time_ms !== undefined, {
      message: "queue_time_ms is required when requests is above 0",
      path: ["queue_time_ms"],
    })
    .optional(),
});

export type PushReport = z.infer<typeof pushReportSchema>;

/** How long a report is kept: three intervals of the slowest plan (60 s checks). */
export const REPORT_TTL_SECONDS = 180;

/** A report older than this many check intervals is treated as missing. */
export const STALE_AFTER_INTERVALS = 3;

export function reportKey(tenantId: string, processType: string): string {
  return `ebbflow:report:${tenantId}:${processType}`;
}

const storedReport = z.object({ receivedAtMs: z.number(), result: probeResultSchema });

/**
 * Where each dyno's latest quiet/busy report is kept: one field per dyno. Every dyno's agent
 * reports only its own dyno, so a per-process-type report alone would show one dyno at a time.
 */
export function reportDynosKey(tenantId: string, processType: string): string {
  return `ebbflow:report-dynos:${tenantId}:${processType}`;
}

const storedDyno = z.object({ quiet: z.boolean(), busy: z.number().int().min(0), receivedAtMs: z.number() });
export type ReportedDyno = { name: string; quiet: boolean; busy: number };

/** Stores a report as a probe result (backend "push"), stamped with when it arrived. */
export async function storeReport(redis: Redis, tenantId: string, report: Omit<PushReport, "protocol"> & { protocol?: 1 | 2 }, nowMs = Date.now()): Promise<ProbeResult> {
  const result = summarize(
    "push",
    {
      queues: report.queues.map((queue) => ({
        name: queue.name,
        depth: queue.depth,
        latencyMs: queue.latency_ms ?? null,
        busy: queue.busy ?? null,
      })),
    },
    nowMs,
    nowMs,
  );
  const transaction = redis.multi().set(reportKey(tenantId, report.process_type), JSON.stringify({ receivedAtMs: nowMs, result }), "EX", REPORT_TTL_SECONDS);
  if ((report.protocol ?? 1) >= 2 && report.dynos && report.dynos.length > 0) {
    const key = reportDynosKey(tenantId, report.process_type);
    const fields = report.dynos.flatMap((dyno) => [dyno.name, JSON.stringify({ quiet: dyno.quiet, busy: dyno.busy, receivedAtMs: nowMs })]);
    transaction.hset(key, ...fields).expire(key, REPORT_TTL_SECONDS);
  }
  await transaction.exec();
  return result;
}

/**
 * The latest report for a tenant's process type, or null when there is none or it is older
 * than `STALE_AFTER_INTERVALS` check intervals; with it, every dyno that reported its quiet
 * state (protocol 2) within that window, newest report per dyno. Anything unreadable in Redis
 * is treated as missing, never as zeros.
 */
export async function readReport(
  redis: Redis,
  tenantId: string,
  processType: string,
  intervalSeconds: number,
  nowMs = Date.now(),
): Promise<{ result: ProbeResult; ageMs: number; dynos?: ReportedDyno[] } | null> {
  const replies = await redis.multi().get(reportKey(tenantId, processType)).hgetall(reportDynosKey(tenantId, processType)).exec();
  const raw = z.string().nullable().safeParse(replies?.[0]?.[1]);
  if (!raw.success || raw.data === null) return null;
  const staleMs = STALE_AFTER_INTERVALS * intervalSeconds * 1000;
  const parsed = storedReport.safeParse(parseJson(raw.data));
  if (!parsed.success) return null;
  const ageMs = Math.max(0, nowMs - parsed.data.receivedAtMs);
  if (ageMs > staleMs) return null;
  const dynos = reportedDynos(replies?.[1]?.[1], nowMs)
    .filter((dyno) => dyno.ageMs <= staleMs)
    .map(({ name, quiet, busy }) => ({ name, quiet, busy }));
  return { result: parsed.data.result, ageMs, ...(dynos.length > 0 ? { dynos } : {}) };
}

/** The dynos of a process type that reported their state, each with how long ago, by name. */
export async function listReportedDynos(redis: Redis, tenantId: string, processType: string, nowMs = Date.now()): Promise<Array<ReportedDyno & { ageMs: number }>> {
  return reportedDynos(await redis.hgetall(reportDynosKey(tenantId, processType)), nowMs);
}

function reportedDynos(hash: unknown, nowMs: number): Array<ReportedDyno & { ageMs: number }> {
  const fields = z.record(z.string(), z.string()).safeParse(hash);
  const dynos: Array<ReportedDyno & { ageMs: number }> = [];
  for (const [name, value] of Object.entries(fields.success ? fields.data : {}).sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))) {
    const dyno = storedDyno.safeParse(parseJson(value));
    if (dyno.success) dynos.push({ name, quiet: dyno.data.quiet, busy: dyno.data.busy, ageMs: Math.max(0, nowMs - dyno.data.receivedAtMs) });
  }
  return dynos;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Most reports a tenant may post per window. Every dyno's agent reports once per 10 s, so an
 * app of Heroku's 100 dynos (web ones included) sends 600 a minute; this leaves room for a
 * buffer draining after an outage.
 */
export const REPORTS_PER_WINDOW = 720;
export const REPORT_WINDOW_SECONDS = 60;

/**
 * A fixed-window rate limit per tenant (INCR + EXPIRE in one MULTI). Throws a `rate_limited`
 * AppError carrying `retryAfterSeconds` when the window is used up.
 */
export async function limitReportRate(redis: Redis, tenantId: string, nowMs = Date.now()): Promise<void> {
  const window = Math.floor(nowMs / 1000 / REPORT_WINDOW_SECONDS);
  const key = `ebbflow:ratelimit:reports:${tenantId}:${window}`;
  const replies = await redis.multi().incr(key).expire(key, REPORT_WINDOW_SECONDS + 1).exec();
  const count = z.number().int().safeParse(replies?.[0]?.[1]);
  if (!count.success) throw new AppError("unavailable", "The rate limiter is unavailable; try again shortly.");
  if (count.data > REPORTS_PER_WINDOW) {
    const windowEndsMs = (window + 1) * REPORT_WINDOW_SECONDS * 1000;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEndsMs - nowMs) / 1000));
    throw new AppError("rate_limited", `At most ${REPORTS_PER_WINDOW} reports per ${REPORT_WINDOW_SECONDS} s; retry in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}
