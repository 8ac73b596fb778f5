import type { ReadOnlySession } from "@/lib/queues/pg-pool";
import { SQL_DISCOVERY_LIMIT } from "@/lib/queues/limits";
import type { BackendReading } from "@/lib/queues/summarize";
import { ageMsSql, parseQueueRows, rowsToQueues, tableColumns } from "@/lib/queues/backends/sql-common";

/**
 * Solid Queue (0.x and 1.x). A job's state is which execution table holds it:
 *
 * - `solid_queue_ready_executions` (queue_name, created_at): ready to run. Depth = rows;
 *   latency = age of the oldest `created_at` (when the job became ready: enqueue time, or
 *   dispatch time for a job that was scheduled).
 * - `solid_queue_claimed_executions` (job_id): claimed by a worker, i.e. running (busy);
 *   joined to `solid_queue_jobs` for the queue name.
 * - `solid_queue_scheduled_executions` (queue_name, scheduled_at): waiting for their time.
 *   Active Job retries are scheduled the same way and cannot be told apart: retries null.
 *   Those whose `scheduled_at` has passed wait for Solid Queue's dispatcher to move them to
 *   ready; with no dispatcher running they are `due`.
 * - `solid_queue_pauses` (queue_name): paused queues.
 *
 * Failed and blocked (concurrency-limited) executions are not counted.
 */
const tables = [
  "solid_queue_ready_executions",
  "solid_queue_claimed_executions",
  "solid_queue_scheduled_executions",
  "solid_queue_jobs",
  "solid_queue_pauses",
];

export async function probeSolidQueue(session: ReadOnlySession, queues: string[] | undefined): Promise<BackendReading> {
  await tableColumns(session, tables);
  const only = (column: string) => (queues ? `WHERE ${column} = ANY($1::text[])` : "");
  const sql = `
    WITH ready AS (
      SELECT queue_name AS queue, count(*)::int AS depth, min(created_at) AS oldest
        FROM solid_queue_ready_executions ${only("queue_name")} GROUP BY 1
    ), scheduled AS (
      SELECT queue_name AS queue, count(*)::int AS scheduled,
             count(*) FILTER (WHERE scheduled_at <= now())::int AS due
        FROM solid_queue_scheduled_executions ${only("queue_name")} GROUP BY 1
    ), claimed AS (
      SELECT j.queue_name AS queue, count(*)::int AS busy
        FROM solid_queue_claimed_executions c JOIN solid_queue_jobs j ON j.id = c.job_id
        ${only("j.queue_name")} GROUP BY 1
    ), names AS (
      SELECT queue FROM ready UNION SELECT queue FROM scheduled UNION SELECT queue FROM claimed
    )
    SELECT n.queue,
           COALESCE(r.depth, 0) AS depth,
           ${ageMsSql("r.oldest")} AS latency_ms,
           COALESCE(c.busy, 0) AS busy,
           COALESCE(s.scheduled, 0) AS scheduled,
           NULL::int AS retries,
           COALESCE(s.due, 0) AS due,
           EXISTS (SELECT 1 FROM solid_queue_pauses p WHERE p.queue_name = n.queue) AS paused
      FROM names n
      LEFT JOIN ready r ON r.queue = n.queue
      LEFT JOIN scheduled s ON s.queue = n.queue
      LEFT JOIN claimed c ON c.queue = n.queue
     ORDER BY 2 DESC, 1
     LIMIT ${SQL_DISCOVERY_LIMIT}`;
  const rows = await session.query(
    sql,
    queues ? [queues] : [],
    (raw) => parseQueueRows(raw, "solid_queue_ready_executions"),
    "solid_queue_ready_executions",
  );
  const { queues: probes, due } = rowsToQueues(rows, queues);
  return { queues: probes.map((probe) => ({ ...probe, retries: null })), due, retries: null, roundTrips: session.roundTrips + 1 };
}
