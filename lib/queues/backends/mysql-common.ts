import { z } from "zod";
import type { ReadOnlySession } from "@/lib/queues/pg-pool";
import { columnsByTable, parseQueueRows, UNNAMED_QUEUE, type QueueRow } from "@/lib/queues/backends/sql-common";

/** MySQL's version of sql-common's queueNameSql: a NULL or empty queue is "(none)". */
export function mysqlQueueNameSql(column: string): string {
  return `COALESCE(NULLIF(${column}, ''), '${UNNAMED_QUEUE}')`;
}

/** Age in ms of a UTC DATETIME expression, against the server's UTC clock. */
export function mysqlAgeMsSql(expression: string): string {
  return `(TIMESTAMPDIFF(MICROSECOND, ${expression}, UTC_TIMESTAMP(6)) / 1000)`;
}

const columnRows = z.array(z.object({ table_name: z.string(), column_name: z.string() }));

/**
 * The columns of each table in the URL's database; a missing table is a `table_missing`
 * error naming it (MySQL's information_schema, as sql-common's tableColumns for Postgres).
 */
export async function mysqlTableColumns(session: ReadOnlySession, tables: string[]): Promise<Map<string, Set<string>>> {
  const rows = await session.query(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name
       FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?)`,
    [tables],
    (raw) => columnRows.parse(raw),
    tables.join(", "),
  );
  return columnsByTable(rows, tables);
}

/** MySQL answers booleans as 0/1: turn `paused` into a boolean before the shared row schema. */
export function parseMysqlQueueRows(raw: unknown[], table: string): QueueRow[] {
  const normalized = raw.map((row) => {
    if (typeof row !== "object" || row === null || !("paused" in row)) return row;
    const paused = (row as { paused: unknown }).paused;
    return { ...row, paused: paused === 1 || paused === "1" || paused === true };
  });
  return parseQueueRows(normalized, table);
}
