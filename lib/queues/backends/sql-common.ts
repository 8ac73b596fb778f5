import { z } from "zod";
import { ProbeError } from "@/lib/queues/errors";
import type { ReadOnlySession } from "@/lib/queues/pg-pool";
import type { QueueProbe } from "@/lib/queues/schema";

/**
 * Jobs enqueued without a queue name (Delayed Job's NULL queue, Que 0.x's '' queue) are
 * reported under this name, and can be selected with it.
 */
export const UNNAMED_QUEUE = "(none)";

/** SQL expression naming a row's queue the way probe results do. */
export function queueNameSql(column: string): string {
  return `COALESCE(NULLIF(${column}, ''), '${UNNAMED_QUEUE}')`;
}

const columnRows = z.array(z.object({ table_name: z.string(), column_name: z.string() }));

/**
 * The columns of each table, as visible on the session's search path; a missing table is a
 * `table_missing` error naming it. Versions of a job library differ in their columns, so the
 * probes choose their SQL from this.
 */
export async function tableColumns(session: ReadOnlySession, tables: string[]): Promise<Map<string, Set<string>>> {
  const rows = await session.query(
    `SELECT table_name::text AS table_name, column_name::text AS column_name
       FROM information_schema.columns
      WHERE table_name = ANY($1::text[]) AND table_schema = ANY(current_schemas(false))`,
    [tables],
    (raw) => columnRows.parse(raw),
    tables.join(", "),
  );
  return columnsByTable(rows, tables);
}

/**
 * The columns of each table from information_schema rows (Postgres or MySQL); a missing table
 * is a table_missing error naming it.
 */
export function columnsByTable(rows: ReadonlyArray<{ table_name: string; column_name: string }>, tables: readonly string[]): Map<string, Set<string>> {
  const columns = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = columns.get(row.table_name) ?? new Set<string>();
    set.add(row.column_name);
    columns.set(row.table_name, set);
  }
  for (const table of tables) {
    if (!columns.has(table)) {
      throw new ProbeError(
        "table_missing",
        `The table ${table} does not exist in this database. Check that the URL points at the app's database, that the backend is right, and that the job library's migrations have run.`,
        { target: table },
      );
    }
  }
  return columns;
}

export function requireColumns(table: string, columns: Set<string> | undefined, needed: string[]): void {
  const missing = needed.filter((column) => !columns?.has(column));
  if (missing.length) {
    throw new ProbeError(
      "unparseable",
      `The table ${table} has no ${missing.join(", ")} column; this does not look like the job library's table, or the version is not supported.`,
      { target: table },
    );
  }
}

const nullableNumber = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i).transform(Number)]).nullable();
const count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

/** One row per queue, as every Postgres probe's main query returns it. */
export const queueRowSchema = z.object({
  queue: z.string(),
  depth: count,
  latency_ms: nullableNumber,
  busy: count,
  scheduled: count,
  retries: count.nullable(),
  due: count,
  paused: z.boolean().optional(),
});

export type QueueRow = z.infer<typeof queueRowSchema>;

export function parseQueueRows(raw: unknown[], table: string): QueueRow[] {
  const parsed = z.array(queueRowSchema).safeParse(raw);
  if (!parsed.success) {
    throw new ProbeError("unparseable", `Postgres answered the query on ${table} with unexpected values.`, { target: table });
  }
  return parsed.data;
}

/**
 * Turns rows into queue probes; when names were asked for, every asked name appears (with
 * zeros if it has no jobs) and nothing else does.
 */
export function rowsToQueues(rows: QueueRow[], names: string[] | undefined): { queues: QueueProbe[]; due: number } {
  const byName = new Map(rows.map((row) => [row.queue, row]));
  const selected = names ?? rows.map((row) => row.queue);
  let due = 0;
  const queues = selected.map((name): QueueProbe => {
    const row = byName.get(name);
    if (!row) return { name, depth: 0, latencyMs: null, busy: 0, scheduled: 0, retries: 0 };
    due += row.due;
    const probe: QueueProbe = {
      name,
      depth: row.depth,
      latencyMs: row.latency_ms === null ? null : Math.max(0, Math.round(row.latency_ms)),
      busy: row.busy,
      scheduled: row.scheduled,
      retries: row.retries,
    };
    if (row.paused) probe.paused = true;
    return probe;
  });
  return { queues, due };
}

/** `age in ms of <expression>` as SQL, against the transaction's clock. */
export function ageMsSql(expression: string): string {
  return `(EXTRACT(EPOCH FROM (now() - ${expression})) * 1000)::float8`;
}

/**
 * Advisory locks held right now, as the bigint keys `pg_advisory_lock(bigint)` takes: the
 * view splits a key into classid (high 32 bits) and objid (low 32 bits), objsubid 1.
 */
export const ADVISORY_LOCKS_CTE = `advisory_locks AS (
  SELECT (classid::bigint << 32) | objid::bigint AS lock_key
    FROM pg_locks
   WHERE locktype = 'advisory' AND objsubid = 1 AND granted
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
)`;
