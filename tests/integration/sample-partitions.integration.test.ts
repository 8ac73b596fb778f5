import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { createScratchDatabase } from "../helpers/database";

/**
 * metric_samples partitioned by day: the migration that converts the table keeps every row
 * (ids included), the upkeep job creates partitions ahead and drops expired days, and the
 * roll-ups fold rows whatever partition they sit in. Its own database: it drops partitions.
 */
const migrations = path.resolve(import.meta.dirname, "../../prisma/migrations");
const PARTITIONING = "20261205160100_partition_metric_samples";
let url = "";
let drop: () => Promise<void> = async () => {};
let sql: pg.Client;

beforeAll(async () => {
  const database = await createScratchDatabase("partitions");
  url = database.url;
  drop = database.drop;
  process.env.DATABASE_URL = url;
  sql = new pg.Client({ connectionString: url });
  await sql.connect();
});

afterAll(async () => {
  await sql.end();
  const { disconnectDb } = await import("@/lib/db/client");
  await disconnectDb();
  await drop();
});

async function partitionOf(id: string): Promise<string> {
  const { rows } = await sql.query<{ partition: string }>(`SELECT tableoid::regclass::text AS partition FROM metric_samples WHERE id = $1`, [id]);
  return rows[0]?.partition ?? "(none)";
}

async function partitions(): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'metric_samples'::regclass ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

describe("metric_samples partitioned by day", () => {
  it("the migration converts the existing table and keeps every row, id and all", async () => {
    // Every migration before the partitioning one, then rows in the old table.
    const before = await mkdtemp(path.join(os.tmpdir(), "ebbflow-migrations-"));
    try {
      for (const name of (await readdir(migrations)).filter((entry) => entry < PARTITIONING)) {
        await cp(path.join(migrations, name), path.join(before, name), { recursive: true });
      }
      await migrate(url, before);
    } finally {
      await rm(before, { recursive: true, force: true });
    }
    const { rows: tenants } = await sql.query<{ id: string }>(
      `INSERT INTO tenants (id, channel, app_name, plan, state, updated_at) VALUES (gen_random_uuid(), 'heroku', 'partitioned', 'pro', 'active', now()) RETURNING id`,
    );
    const tenantId = tenants[0]?.id ?? "";
    await sql.query(
      `INSERT INTO metric_samples (tenant_id, process_type, resolution, sampled_at, depth, latency_ms, busy, scheduled, retries, dynos)
       VALUES ($1, 'worker', 'hour', '2026-09-01T10:00:00Z', 4, 400, 1, 0, 0, 1),
              ($1, 'worker', 'minute', '2026-12-01T23:59:00Z', 7, NULL, 2, NULL, 0, 2),
              ($1, 'worker', 'raw', '2026-12-02T00:00:05Z', 9, 900, 3, 1, 1, 3)`,
      [tenantId],
    );
    const { rows: old } = await sql.query(`SELECT * FROM metric_samples ORDER BY id`);

    await migrate(url, migrations);

    const { rows: kept } = await sql.query(`SELECT * FROM metric_samples ORDER BY id`);
    // Later migrations may add columns (null for these rows): compare the columns the rows had.
    const columns = Object.keys(old[0] ?? {});
    expect(kept.map((row) => Object.fromEntries(columns.map((column) => [column, row[column]])))).toEqual(old);
    const { rows: kind } = await sql.query<{ partitioned: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'metric_samples'::regclass) AS partitioned`,
    );
    expect(kind[0]?.partitioned).toBe(true);
    expect(await partitions()).toEqual(expect.arrayContaining(["metric_samples_default", "metric_samples_p20260901", "metric_samples_p20261201", "metric_samples_p20261202"]));
    expect(await partitionOf(String(old[2]?.id))).toBe("metric_samples_p20261202");
    // New rows continue the same id sequence.
    const { rows: next } = await sql.query<{ id: string }>(
      `INSERT INTO metric_samples (tenant_id, process_type, sampled_at, depth) VALUES ($1, 'worker', now(), 1) RETURNING id`,
      [tenantId],
    );
    expect(BigInt(next[0]?.id ?? 0)).toBeGreaterThan(BigInt(String(old[2]?.id)));
    const { rows: key } = await sql.query<{ columns: string }>(
      `SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum)) AS columns
         FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = 'metric_samples'::regclass AND i.indisprimary`,
    );
    expect(key[0]?.columns).toBe("id,sampled_at");
  });

  it("creates the coming days ahead, moving rows the default partition caught for them", async () => {
    const { createSamplePartitions } = await import("@/lib/checks/sample-partitions");
    const { db } = await import("@/lib/db/client");
    const tenant = await db.tenant.create({ data: { channel: "heroku", appName: "ahead", plan: "standard", state: "active" } });
    const future = new Date("2027-03-10T12:00:00Z");
    const row = await db.metricSample.create({ data: { tenantId: tenant.id, processType: "worker", sampledAt: future, depth: 3 }, select: { id: true } });
    expect(await partitionOf(String(row.id))).toBe("metric_samples_default");

    expect(await createSamplePartitions(new Date("2027-03-09T08:00:00Z"))).toEqual([
      "metric_samples_p20270309",
      "metric_samples_p20270310",
      "metric_samples_p20270311",
      "metric_samples_p20270312",
    ]);
    expect(await partitionOf(String(row.id))).toBe("metric_samples_p20270310");
    expect(await createSamplePartitions(new Date("2027-03-09T20:00:00Z"))).toEqual([]);
  });

  it("rolls up across partitions and drops whole expired days instead of deleting their rows", async () => {
    const { rollUpSamples } = await import("@/lib/checks/roll-up-samples");
    const { createSamplePartitions } = await import("@/lib/checks/sample-partitions");
    const { db } = await import("@/lib/db/client");
    const now = new Date("2027-06-15T12:00:30Z");
    const pro = await db.tenant.create({ data: { channel: "heroku", appName: "kept", plan: "pro", state: "active" } });
    // Days 100 and 95 ago (past the longest retention, 90 days) and 30 days ago, each in its partition.
    for (const day of ["2027-03-07", "2027-03-12", "2027-05-16"]) await createSamplePartitions(new Date(`${day}T00:00:00Z`));
    // Raw rows either side of midnight, three hours before "now" is two days later: folded in two partitions.
    await createSamplePartitions(new Date("2027-06-14T00:00:00Z"));
    await db.metricSample.createMany({
      data: [
        { tenantId: pro.id, processType: "worker", resolution: "hour", sampledAt: new Date("2027-03-07T10:00:00Z"), depth: 1 },
        { tenantId: pro.id, processType: "worker", resolution: "hour", sampledAt: new Date("2027-03-12T10:00:00Z"), depth: 2 },
        { tenantId: pro.id, processType: "worker", resolution: "hour", sampledAt: new Date("2027-05-16T10:00:00Z"), depth: 3 },
        { tenantId: pro.id, processType: "worker", sampledAt: new Date("2027-06-14T23:59:20Z"), depth: 5 },
        { tenantId: pro.id, processType: "worker", sampledAt: new Date("2027-06-14T23:59:40Z"), depth: 8 },
        { tenantId: pro.id, processType: "worker", sampledAt: new Date("2027-06-15T00:00:10Z"), depth: 6 },
      ],
    });
    const { rows: deletesBefore } = await sql.query<{ deleted: string }>(`SELECT coalesce(sum(n_tup_del), 0) AS deleted FROM pg_stat_user_tables WHERE relname = 'metric_samples_p20270312'`);

    const result = await rollUpSamples(now);

    expect(result.partitionsDropped).toEqual(expect.arrayContaining(["metric_samples_p20270307", "metric_samples_p20270312"]));
    expect(result.partitionsDropped).not.toContain("metric_samples_p20270516");
    expect(await partitions()).not.toContain("metric_samples_p20270312");
    expect(deletesBefore[0]?.deleted).toBe("0");
    const rows = await db.metricSample.findMany({ where: { tenantId: pro.id }, orderBy: { sampledAt: "asc" }, select: { resolution: true, sampledAt: true, depth: true } });
    expect(rows).toEqual([
      { resolution: "hour", sampledAt: new Date("2027-05-16T10:00:00Z"), depth: 3 },
      { resolution: "minute", sampledAt: new Date("2027-06-14T23:59:00Z"), depth: 8 },
      { resolution: "minute", sampledAt: new Date("2027-06-15T00:00:00Z"), depth: 6 },
    ]);
  });
});
