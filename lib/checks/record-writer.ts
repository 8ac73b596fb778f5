import { Prisma } from "@/lib/db/generated/client";
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
 * are a few inserts a second, not 1 000. Samples and health are best effort: a flush that
 * fails is logged and counted; the next check records again.
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
    const samples = this.samples;
    const health = [...this.health.values()];
    this.samples = [];
    this.health.clear();
    try {
      if (samples.length > 0) await db.metricSample.createMany({ data: samples });
      if (health.length > 0) await writeHealth(health);
    } catch (error) {
      errorsTotal.inc({ kind: "record" });
      log.error({ err: error, samples: samples.length, health: health.length }, "could not write check records");
    }
  }
}

async function writeHealth(rows: HealthRow[]): Promise<void> {
  const values = Prisma.join(
    rows.map((row) => Prisma.sql`(${row.tenantId}::uuid, ${row.checkedAt}::timestamptz, ${row.good}::boolean, ${row.error}::text)`),
  );
  await db.$executeRaw`
    UPDATE tenants AS t
       SET last_check_at = v.checked_at,
           last_good_check_at = CASE WHEN v.good THEN v.checked_at ELSE t.last_good_check_at END,
           last_error = v.error
      FROM (VALUES ${values}) AS v(id, checked_at, good, error)
     WHERE t.id = v.id`;
}
