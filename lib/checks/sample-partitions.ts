import { db } from "@/lib/db/client";

/**
 * metric_samples is partitioned by UTC day on sampled_at (migration 20261205160100): one
 * table metric_samples_pYYYYMMDD per day, and metric_samples_default for rows no day table
 * takes. The upkeep job creates the coming days' tables ahead of time and retention drops
 * whole days: DROP TABLE frees a day's rows and their index entries at once, where DELETE
 * would rewrite them as dead tuples for vacuum to clean, at ~10 000 rows a second.
 */
export const PARTITION_DAYS_AHEAD = 3;
const DAY_MS = 86_400_000;
const PARTITION_NAME = /^metric_samples_p(\d{4})(\d{2})(\d{2})$/;

export interface SamplePartitions {
  created: string[];
  dropped: string[];
}

function dayStart(ms: number): Date {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS);
}

function partitionName(day: Date): string {
  return `metric_samples_p${day.toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/** The day partitions that exist, by name with their first day, oldest first. */
async function listDayPartitions(): Promise<Array<{ name: string; day: Date }>> {
  const rows = await db.$queryRaw<Array<{ name: string }>>`
    SELECT c.relname AS name
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'metric_samples'`;
  return rows
    .flatMap(({ name }) => {
      const match = PARTITION_NAME.exec(name);
      return match ? [{ name, day: new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`) }] : [];
    })
    .sort((a, b) => a.day.getTime() - b.day.getTime());
}

/**
 * Creates today's partition and the next PARTITION_DAYS_AHEAD days' when missing. Rows that
 * landed in the default partition for such a day (the upkeep job did not run for days) are
 * moved into the new partition in the same transaction: Postgres refuses to create a
 * partition whose range the default partition already holds rows of.
 */
export async function createSamplePartitions(now: Date = new Date()): Promise<string[]> {
  const existing = new Set((await listDayPartitions()).map((partition) => partition.name));
  const created: string[] = [];
  for (let offset = 0; offset <= PARTITION_DAYS_AHEAD; offset += 1) {
    const from = dayStart(now.getTime() + offset * DAY_MS);
    const to = new Date(from.getTime() + DAY_MS);
    const name = partitionName(from);
    if (existing.has(name)) continue;
    await db.$transaction(async (tx) => {
      // Names come from a Date, never from input: safe to put in the statement.
      await tx.$executeRawUnsafe(`CREATE TEMP TABLE held_samples (LIKE metric_samples) ON COMMIT DROP`);
      await tx.$executeRaw`
        WITH moved AS (DELETE FROM metric_samples_default WHERE sampled_at >= ${from} AND sampled_at < ${to} RETURNING *)
        INSERT INTO held_samples SELECT * FROM moved`;
      await tx.$executeRawUnsafe(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF metric_samples FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
      await tx.$executeRawUnsafe(`INSERT INTO metric_samples SELECT * FROM held_samples`);
    });
    created.push(name);
  }
  return created;
}

/** Drops every day partition that ends at or before `keptAfter`; returns their names. */
export async function dropSamplePartitionsBefore(keptAfter: Date): Promise<string[]> {
  const dropped: string[] = [];
  for (const partition of await listDayPartitions()) {
    if (partition.day.getTime() + DAY_MS > keptAfter.getTime()) break;
    await db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${partition.name}"`);
    dropped.push(partition.name);
  }
  return dropped;
}
