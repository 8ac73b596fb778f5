import type { Redis } from "ioredis";
import pg from "pg";

/**
 * What the Ebbflow workers cost the shared stores during a benchmark window, for the capacity
 * plan (docs/SCALING.md): Redis commands by name from INFO commandstats (server-wide: exact
 * only when the benchmark has the Redis server to itself, --redis-port), and Postgres rows
 * and bytes from the scratch database's own statistics (pg_stat_user_tables and
 * pg_total_relation_size, summed over a partitioned table's partitions).
 */
export type CommandCounts = Map<string, number>;

export async function readCommandCounts(redis: Redis): Promise<CommandCounts> {
  const info = await redis.info("commandstats");
  const counts: CommandCounts = new Map();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) counts.set(String(match[1]), Number(match[2]));
  return counts;
}

export function commandDelta(after: CommandCounts, before: CommandCounts): Array<{ command: string; calls: number }> {
  return [...after]
    .map(([command, calls]) => ({ command, calls: calls - (before.get(command) ?? 0) }))
    .filter((entry) => entry.calls > 0)
    .sort((a, b) => b.calls - a.calls);
}

export interface TableWrites {
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  bytes: number;
}

const TABLES = ["metric_samples", "scale_events", "tenants"] as const;

/** Rows written and bytes held per table (a partitioned table counts its partitions). */
export async function readTableWrites(databaseUrl: string): Promise<Map<string, TableWrites>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Statistics reach pg_stat_* when a backend reports them; this makes the snapshot current.
    await client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await client.query<{ parent: string; inserted: string; updated: string; deleted: string; bytes: string }>(
      `SELECT coalesce(parent.relname, s.relname) AS parent,
              sum(s.n_tup_ins) AS inserted, sum(s.n_tup_upd) AS updated, sum(s.n_tup_del) AS deleted,
              sum(pg_total_relation_size(s.relid)) AS bytes
         FROM pg_stat_user_tables s
         LEFT JOIN pg_inherits i ON i.inhrelid = s.relid
         LEFT JOIN pg_class parent ON parent.oid = i.inhparent
        WHERE coalesce(parent.relname, s.relname) = ANY($1)
        GROUP BY 1`,
      [TABLES],
    );
    return new Map(
      rows.map((row) => [row.parent, { table: row.parent, inserted: Number(row.inserted), updated: Number(row.updated), deleted: Number(row.deleted), bytes: Number(row.bytes) }]),
    );
  } finally {
    await client.end();
  }
}

export function tableDelta(after: Map<string, TableWrites>, before: Map<string, TableWrites>): TableWrites[] {
  return TABLES.map((table) => {
    const [a, b] = [after.get(table), before.get(table)];
    return {
      table,
      inserted: (a?.inserted ?? 0) - (b?.inserted ?? 0),
      updated: (a?.updated ?? 0) - (b?.updated ?? 0),
      deleted: (a?.deleted ?? 0) - (b?.deleted ?? 0),
      bytes: (a?.bytes ?? 0) - (b?.bytes ?? 0),
    };
  });
}
