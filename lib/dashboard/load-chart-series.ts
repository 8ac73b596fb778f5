import type { Redis } from "ioredis";
import { z } from "zod";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import type { ChartWindow } from "@/lib/dashboard/chart-ranges";
import { log } from "@/lib/log";

/**
 * One process type's chart, as columns: entry i of each array belongs to bucket `bucket[i]`
 * (counted from the window's first bucket). Only buckets with data are sent; the browser
 * leaves the others empty, so a gap in the data shows as a gap.
 */
export interface SeriesColumns {
  bucket: number[];
  /** Deepest counted queue in the bucket. */
  depth: number[];
  /** Oldest job's age at its worst in the bucket, ms; null when no probe could tell. */
  latencyMs: (number | null)[];
  /** Dynos at the end of the bucket (the last sample's formation). */
  dynos: (number | null)[];
  /** Web process types: the busiest request rate in the bucket, requests a minute. */
  requestsPerMinute: (number | null)[];
  /** Web process types: the worst queue-time p95 in the bucket, ms. */
  queueTimeP95Ms: (number | null)[];
}

/** Scale events per bucket, so 30 days of changes draw as at most one marker per bucket. */
export interface MarkerColumns {
  bucket: number[];
  up: number[];
  down: number[];
  /** Changes Heroku refused or that could not be made (failed, not authorized). */
  problems: number[];
  /** Changes decided in dry run or by hand on Heroku. */
  other: number[];
}

interface SampleBucketRow {
  process_type: string;
  bucket: number;
  depth: number;
  latency_ms: number | null;
  dynos: number | null;
  requests_per_minute: number | null;
  queue_time_p95_ms: number | null;
}

interface EventBucketRow {
  process_type: string;
  bucket: number;
  up: number;
  down: number;
  problems: number;
  other: number;
}

const samplesSql = (tenantId: string, processTypes: string[], window: ChartWindow, fromMs: number, toMs: number) => Prisma.sql`
  SELECT process_type,
         (floor(date_part('epoch', sampled_at) / ${window.bucketSeconds}) - ${window.firstBucket})::int AS bucket,
         max(depth)::int AS depth,
         max(latency_ms)::int AS latency_ms,
         ((max(ARRAY[date_part('epoch', sampled_at), dynos::float8]) FILTER (WHERE dynos IS NOT NULL))[2])::int AS dynos,
         max(requests_per_minute) AS requests_per_minute,
         max(queue_time_p95_ms) AS queue_time_p95_ms
    FROM metric_samples
   WHERE tenant_id = ${tenantId}::uuid
     AND process_type IN (${Prisma.join(processTypes)})
     -- Naming every resolution keeps the range scan on the (tenant, type, resolution, time) index.
     AND resolution IN ('raw', 'minute', 'hour')
     AND sampled_at >= ${new Date(fromMs)}
     AND sampled_at < ${new Date(toMs)}
   GROUP BY 1, 2
   ORDER BY 1, 2`;

const cachedRowsSchema = z.array(
  z.object({
    process_type: z.string(),
    bucket: z.number().int(),
    depth: z.number(),
    latency_ms: z.number().nullable(),
    dynos: z.number().nullable(),
    requests_per_minute: z.number().nullable().default(null),
    queue_time_p95_ms: z.number().nullable().default(null),
  }),
);

/** Buckets at least this wide (ranges of 24 h and more) are cached once they are complete. */
export const CACHE_FROM_BUCKET_SECONDS = 300;

function cacheKey(tenantId: string, processTypes: string[], window: ChartWindow): string {
  return `ebbflow:chart:${tenantId}:${window.bucketSeconds}:${window.firstBucket}:${processTypes.join(",")}`;
}

/**
 * The complete buckets of a long range, from Redis when another request already rolled them
 * up. A bucket that has ended does not change (samples are written within a second), so a
 * 30-day chart costs one roll-up per bucket width (3 h) and then only its open last bucket:
 * it polls as cheaply as one hour. Redis trouble falls back to the database.
 */
async function completeBuckets(redis: Redis, tenantId: string, processTypes: string[], window: ChartWindow, untilMs: number): Promise<SampleBucketRow[]> {
  const key = cacheKey(tenantId, processTypes, window);
  try {
    const hit = await redis.get(key);
    const parsed = hit ? cachedRowsSchema.safeParse(JSON.parse(hit)) : null;
    if (parsed?.success) return parsed.data;
  } catch (error) {
    log.warn({ err: error, tenantId }, "chart cache could not be read");
  }
  const rows = await db.$queryRaw<SampleBucketRow[]>(samplesSql(tenantId, processTypes, window, window.fromMs, untilMs));
  try {
    await redis.set(key, JSON.stringify(rows), "EX", window.bucketSeconds);
  } catch (error) {
    log.warn({ err: error, tenantId }, "chart cache could not be written");
  }
  return rows;
}

/**
 * Rolls an app's samples up into the window's buckets in SQL: the deepest queue, the worst
 * latency (for web, the busiest request rate and worst queue-time p95) and the last known dynos per bucket (the last is the max of (time, dynos) pairs, which
 * a hash aggregate can compute without sorting). Every resolution counts: where minute or hour
 * roll-ups overlap raw samples, max and last agree. At most one row per bucket and process type
 * leaves the database, whatever the sampling interval. With `redis`, long ranges reuse their
 * complete buckets (see `completeBuckets`).
 */
export async function loadChartSeries(
  tenantId: string,
  processTypes: string[],
  window: ChartWindow,
  redis: Redis | null = null,
): Promise<Map<string, SeriesColumns>> {
  const series = new Map<string, SeriesColumns>(
    processTypes.map((type) => [type, emptySeries()]),
  );
  if (processTypes.length === 0) return series;
  const endMs = window.toMs + 1;
  let rows: SampleBucketRow[];
  if (redis && window.bucketSeconds >= CACHE_FROM_BUCKET_SECONDS) {
    const openBucketMs = (window.firstBucket + window.bucketCount - 1) * window.bucketSeconds * 1000;
    const [complete, open] = await Promise.all([
      completeBuckets(redis, tenantId, processTypes, window, openBucketMs),
      db.$queryRaw<SampleBucketRow[]>(samplesSql(tenantId, processTypes, window, openBucketMs, endMs)),
    ]);
    rows = [...complete, ...open];
  } else {
    rows = await db.$queryRaw<SampleBucketRow[]>(samplesSql(tenantId, processTypes, window, window.fromMs, endMs));
  }
  for (const row of rows) {
    const columns = series.get(row.process_type);
    if (!columns || row.bucket < 0) continue;
    columns.bucket.push(row.bucket);
    columns.depth.push(row.depth);
    columns.latencyMs.push(row.latency_ms);
    columns.dynos.push(row.dynos);
    columns.requestsPerMinute.push(row.requests_per_minute);
    columns.queueTimeP95Ms.push(row.queue_time_p95_ms);
  }
  return series;
}

/** A chart with no bucket yet. */
export function emptySeries(): SeriesColumns {
  return { bucket: [], depth: [], latencyMs: [], dynos: [], requestsPerMinute: [], queueTimeP95Ms: [] };
}

/** Scale events in the window, counted per bucket and kind. */
export async function loadChartMarkers(tenantId: string, processTypes: string[], window: ChartWindow): Promise<Map<string, MarkerColumns>> {
  const markers = new Map<string, MarkerColumns>(
    processTypes.map((type) => [type, { bucket: [], up: [], down: [], problems: [], other: [] }]),
  );
  if (processTypes.length === 0) return markers;
  const rows = await db.$queryRaw<EventBucketRow[]>`
    SELECT process_type,
           (floor(date_part('epoch', occurred_at) / ${window.bucketSeconds}) - ${window.firstBucket})::int AS bucket,
           (count(*) FILTER (WHERE outcome = 'applied' AND to_quantity > from_quantity))::int AS up,
           (count(*) FILTER (WHERE outcome = 'applied' AND to_quantity < from_quantity))::int AS down,
           (count(*) FILTER (WHERE outcome IN ('failed', 'not_authorized')))::int AS problems,
           (count(*) FILTER (WHERE outcome IN ('dry_run', 'manual')))::int AS other
      FROM scale_events
     WHERE tenant_id = ${tenantId}::uuid
       AND process_type IN (${Prisma.join(processTypes)})
       AND occurred_at >= ${new Date(window.fromMs)}
       AND occurred_at <= ${new Date(window.toMs)}
     GROUP BY 1, 2
     ORDER BY 1, 2`;
  for (const row of rows) {
    const columns = markers.get(row.process_type);
    if (!columns || row.bucket < 0) continue;
    columns.bucket.push(row.bucket);
    columns.up.push(row.up);
    columns.down.push(row.down);
    columns.problems.push(row.problems);
    columns.other.push(row.other);
  }
  return markers;
}
