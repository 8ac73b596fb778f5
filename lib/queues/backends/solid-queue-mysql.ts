import type { ReadOnlySession } from "@/lib/queues/pg-pool";
import { SQL_DISCOVERY_LIMIT } from "@/lib/queues/limits";
import type { BackendReading } from "@/lib/queues/summarize";
import { rowsToQueues } from "@/lib/queues/backends/sql-common";
import { mysqlAgeMsSql, mysqlTableColumns, parseMysqlQueueRows } from "@/lib/queues/backends/mysql-common";

/**
 * Solid Queue on MySQL/MariaDB (Rails 8's default backend, often on MySQL): the same tables
 * and meaning as the Postgres reader (solid-queue.ts): ready executions are depth (latency
 * from the oldest `created_at`), claimed executions are busy, scheduled executions are
 * scheduled (retries cannot be told apart: null) and `due` once their time has passed,
 * `solid_queue_pauses` marks paused queues. Derived tables rather than CTEs, so MySQL 5.7
 * reads it too.
 */
const tables = [
  "solid_queue_ready_executions",
  "solid_queue_claimed_executions",
  "solid_queue_scheduled_executions",
  "solid_queue_jobs",
  "solid_queue_pauses",
];

export async function probeSolidQueueMysql(session: ReadOnlySession, queues: string[] | undefined): Promise<BackendReading> {
  await mysqlTableColumns(session, tables);
  const only = (column: string) => (queues ? `WHERE ${column} IN (?)` : "");
  const sql = `
    SELECT n.queue,
           COALESCE(r.depth, 0) AS depth,
           ${mysqlAgeMsSql("r.oldest")} AS latency_ms,
           COALESCE(c.busy, 0) AS busy,
           COALESCE(s.scheduled, 0) AS scheduled,
           NULL AS retries,
           COALESCE(s.due, 0) AS due,
           EXISTS (SELECT 1 FROM solid_queue_pauses p WHERE p.queue_name = n.queue) AS paused
      FROM (
        SELECT queue_name AS queue FROM solid_queue_ready_executions ${only("queue_name")}
        UNION SELECT queue_name FROM solid_queue_scheduled_executions ${only("queue_name")}
        UNION SELECT j.queue_name FROM solid_queue_claimed_executions c JOIN solid_queue_jobs j ON j.id = c.job_id ${only("j.queue_name")}
      ) n
      LEFT JOIN (
        SELECT queue_name AS queue, COUNT(*) AS depth, MIN(created_at) AS oldest
          FROM solid_queue_ready_executions GROUP BY queue_name
      ) r ON r.queue = n.queue
      LEFT JOIN (
        SELECT queue_name AS queue, COUNT(*) AS scheduled, SUM(scheduled_at <= UTC_TIMESTAMP(6)) AS due
          FROM solid_queue_scheduled_executions GROUP BY queue_name
      ) s ON s.queue = n.queue
      LEFT JOIN (
        SELECT j.queue_name AS queue, COUNT(*) AS busy
          FROM solid_queue_claimed_executions c JOIN solid_queue_jobs j ON j.id = c.job_id GROUP BY j.queue_name
      ) c ON c.queue = n.queue
     ORDER BY depth DESC, n.queue
     LIMIT ${SQL_DISCOVERY_LIMIT}`;
  const rows = await session.query(
    sql,
    queues ? [queues, queues, queues] : [],
    (raw) => parseMysqlQueueRows(raw, "solid_queue_ready_executions"),
    "solid_queue_ready_executions",
  );
  const { queues: probes, due } = rowsToQueues(rows, queues);
  return { queues: probes.map((probe) => ({ ...probe, retries: null })), due, retries: null, roundTrips: session.roundTrips + 1 };
}
