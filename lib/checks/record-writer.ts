import { z } from "zod";
import { db } from "@/lib/db/client";
import { errorsTotal } from "@/lib/metrics";
import { log } from "@/lib/log";

export interface SampleRow {
  tenantId: string;
  processType: string;
  sampledAt: Date;
  depth: number;
  latencyMs: number | null;
  busy: number | null;
  scheduled: number | null;
  retries: number | null;
  dynos: number | null;
  /** Web process types only: requests a minute (last window) and queue-time percentiles, ms. */
  requestsPerMinute?: number | null;
  queueTimeP50Ms?: number | null;
  queueTimeP95Ms?: number | null;
  queueTimeP99Ms?: number | null;
}

export interface HealthRow {
  tenantId: string;
  checkedAt: Date;
  /** True when every process type was measured and nothing failed. */
  good: boolean;
  error: string | null;
}

/**
 * Buffers what checks record and writes it in multi-row statements, so 1 000 checks a second
 * are a few inserts a second, not 1 000. Rows are first made to fit their columns, and a batch
 * that still fails is split until the bad row is alone, so one tenant's row can never cost
 * another tenant's. Samples and health are best effort: a row that cannot be written is
 * logged and counted; the next check records again.
 */
export class RecordWriter {
  private samples: SampleRow[] = [];
  private health = new Map<string, HealthRow>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly flushEveryMs = 1000,
    private readonly maxBuffered = 2000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushEveryMs);
  }

  addSample(row: SampleRow): void {
    this.samples.push(row);
    if (this.samples.length >= this.maxBuffered) void this.flush();
  }

  setHealth(row: HealthRow): void {
    this.health.set(row.tenantId, row);
  }

  /** Writes everything buffered; safe to call at any time, runs one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    const samples = this.samples.flatMap((row) => fitSample(row) ?? []);
    const health = [...this.health.values()].flatMap((row) => fitHealth(row) ?? []);
    const dropped = this.samples.length + this.health.size - samples.length - health.length;
    this.samples = [];
    this.health.clear();
    if (dropped > 0) {
      errorsTotal.inc({ kind: "record" }, dropped);
      log.error({ dropped }, "dropped check records no column could hold");
    }
    if (samples.length > 0) await writeIsolated("samples", samples, writeSamples);
    if (health.length > 0) await writeIsolated("health", health, writeHealth);
  }
}

/** The largest value of a Postgres `integer`. */
const INT4_MAX = 2_147_483_647;
/** Longest health error kept; the dashboard shows a line of it. */
const MAX_ERROR_CHARS = 2000;

/** A count as its `integer` column holds it: whole, clamped to 0..INT4_MAX; NaN is unknown. */
function fitInt(value: number | null): number | null {
  if (value === null || Number.isNaN(value)) return null;
  return Math.min(INT4_MAX, Math.max(0, Math.round(value)));
}

/** A measure as its `double precision` column holds it: finite, 0..INT4_MAX; else unknown. */
function fitFloat(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.min(INT4_MAX, Math.max(0, value));
}

/** Text as a `text` column holds it: Postgres refuses NUL, and a lone surrogate is not UTF-8. */
function fitText(value: string, max: number): string {
  return value
    .replaceAll("\u0000", "")
    .slice(0, max)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const validDate = (date: Date) => Number.isFinite(date.getTime()) && Math.abs(date.getFullYear()) < 10_000;

/**
 * A sample made to fit its columns, or null when nothing can make it fit (no tenant id, no
 * time). One tenant's odd numbers must never fail the statement that carries every tenant's.
 */
function fitSample(row: SampleRow): SampleRow | null {
  if (!uuid.test(row.tenantId) || !validDate(row.sampledAt)) return null;
  return {
    tenantId: row.tenantId,
    processType: fitText(row.processType, 64),
    sampledAt: row.sampledAt,
    depth: fitInt(row.depth) ?? 0,
    latencyMs: fitInt(row.latencyMs),
    busy: fitInt(row.busy),
    scheduled: fitInt(row.scheduled),
    retries: fitInt(row.retries),
    dynos: fitInt(row.dynos),
    requestsPerMinute: fitFloat(row.requestsPerMinute),
    queueTimeP50Ms: fitFloat(row.queueTimeP50Ms),
    queueTimeP95Ms: fitFloat(row.queueTimeP95Ms),
    queueTimeP99Ms: fitFloat(row.queueTimeP99Ms),
  };
}

function fitHealth(row: HealthRow): HealthRow | null {
  if (!uuid.test(row.tenantId) || !validDate(row.checkedAt)) return null;
  return { tenantId: row.tenantId, checkedAt: row.checkedAt, good: row.good, error: row.error === null ? null : fitText(row.error, MAX_ERROR_CHARS) };
}

const driverError = z.object({ meta: z.object({ driverAdapterError: z.object({ cause: z.object({ originalCode: z.string() }) }) }) });

/**
 * Whether Postgres refused the rows themselves (SQLSTATE class 22, data exception: a value a
 * column cannot hold; 23, integrity: e.g. a tenant deleted since its check), as opposed to
 * the database being unreachable, which splitting the batch would only multiply.
 */
function rowsRefused(error: unknown): boolean {
  const parsed = driverError.safeParse(error);
  return parsed.success && /^2[23]/.test(parsed.data.meta.driverAdapterError.cause.originalCode);
}

/**
 * Writes `rows` in one statement; if Postgres refuses a row, splits the batch in halves and
 * writes each, so a row the checks above did not foresee costs only itself: healthy
 * tenants' rows still land, at the price of about 2·log2(n) extra statements per bad row.
 */
async function writeIsolated<Row extends { tenantId: string }>(what: string, rows: Row[], write: (rows: Row[]) => Promise<void>): Promise<void> {
  try {
    await write(rows);
  } catch (error) {
    if (rows.length === 1 || !rowsRefused(error)) {
      errorsTotal.inc({ kind: "record" }, rows.length);
      log.error({ err: error, what, rows: rows.length, tenantId: rows.length === 1 ? rows[0]?.tenantId : undefined }, "could not write check records");
      return;
    }
    const middle = Math.ceil(rows.length / 2);
    await writeIsolated(what, rows.slice(0, middle), write);
    await writeIsolated(what, rows.slice(middle), write);
  }
}

/*
 * Both statements pass one array per column and UNNEST them into rows: the statement and its
 * parameters stay the same size however many rows there are. Prisma's createMany (and a
 * VALUES list with a parameter per field) builds and serializes every row's parameters, about
 * 0.3 ms of CPU a row: at 1 000 checks a second that was a third of a core, in one block that
 * held up every check in the process for hundreds of milliseconds each second.
 */

async function writeSamples(rows: SampleRow[]): Promise<void> {
  await db.$executeRaw`
    INSERT INTO metric_samples (tenant_id, process_type, sampled_at, depth, latency_ms, busy, scheduled, retries, dynos,
                                requests_per_minute, queue_time_p50_ms, queue_time_p95_ms, queue_time_p99_ms)
    SELECT * FROM UNNEST(
      ${rows.map((row) => row.tenantId)}::uuid[],
      ${rows.map((row) => row.processType)}::text[],
      ${rows.map((row) => row.sampledAt.toISOString())}::timestamptz[],
      ${rows.map((row) => row.depth)}::int[],
      ${rows.map((row) => row.latencyMs)}::int[],
      ${rows.map((row) => row.busy)}::int[],
      ${rows.map((row) => row.scheduled)}::int[],
      ${rows.map((row) => row.retries)}::int[],
      ${rows.map((row) => row.dynos)}::int[],
      ${rows.map((row) => row.requestsPerMinute ?? null)}::float8[],
      ${rows.map((row) => row.queueTimeP50Ms ?? null)}::float8[],
      ${rows.map((row) => row.queueTimeP95Ms ?? null)}::float8[],
      ${rows.map((row) => row.queueTimeP99Ms ?? null)}::float8[]
    )`;
}

async function writeHealth(rows: HealthRow[]): Promise<void> {
  await db.$executeRaw`
    UPDATE tenants AS t
       SET last_check_at = v.checked_at,
           last_good_check_at = CASE WHEN v.good THEN v.checked_at ELSE t.last_good_check_at END,
           last_error = v.error
      FROM UNNEST(
             ${rows.map((row) => row.tenantId)}::uuid[],
             ${rows.map((row) => row.checkedAt.toISOString())}::timestamptz[],
             ${rows.map((row) => row.good)}::boolean[],
             ${rows.map((row) => row.error)}::text[]
           ) AS v(id, checked_at, good, error)
     WHERE t.id = v.id`;
}
