import type { ReadOnlySession } from "@/lib/queues/pg-pool";
import { SQL_DISCOVERY_LIMIT } from "@/lib/queues/limits";
import type { BackendReading } from "@/lib/queues/summarize";
import {
  ADVISORY_LOCKS_CTE,
  ageMsSql,
  parseQueueRows,
  queueNameSql,
  requireColumns,
  rowsToQueues,
  tableColumns,
} from "@/lib/queues/backends/sql-common";

/**
 * GoodJob (1.x through 4.x), table `good_jobs`.
 *
 * - unfinished: `finished_at IS NULL`; ready once `COALESCE(scheduled_at, created_at)` has
 *   passed, as GoodJob's dequeue query has it.
 * - running: GoodJob holds a session advisory lock on the key
 *   `('x' || substr(md5('good_jobs-' || <id>), 1, 16))::bit(64)::bigint` while it runs a
 *   job (the id is `active_job_id` in 2.x/3.x and `id` in 4.x, which equal each other for
 *   new jobs, so both are checked); 4.x with the skip-locked lock strategy records the
 *   process in `locked_by_id` instead. A running job is busy, not ready.
 * - scheduled vs retried: GoodJob's own rule, Active Job's `executions` count in
 *   `serialized_params` (< 2 scheduled, > 1 retried).
 * - latency: age of the oldest ready job's `COALESCE(scheduled_at, created_at)`.
 *
 * Due jobs need no promotion (any GoodJob process takes them), so `due` is 0.
 */
export async function probeGoodJob(session: ReadOnlySession, queues: string[] | undefined): Promise<BackendReading> {
  const columns = (await tableColumns(session, ["good_jobs"])).get("good_jobs");
  requireColumns("good_jobs", columns, ["queue_name", "scheduled_at", "finished_at", "created_at", "serialized_params"]);
  const lockKey = (column: string) => `('x' || substr(md5('good_jobs-' || ${column}::text), 1, 16))::bit(64)::bigint`;
  const lockedBy = [
    `${lockKey("id")} IN (SELECT lock_key FROM advisory_locks)`,
    ...(columns?.has("active_job_id") ? [`${lockKey("active_job_id")} IN (SELECT lock_key FROM advisory_locks)`] : []),
    ...(columns?.has("locked_by_id") ? ["locked_by_id IS NOT NULL"] : []),
  ].join(" OR ");
  const queue = queueNameSql("queue_name");
  const runAt = "COALESCE(scheduled_at, created_at)";
  // A malformed count must not fail the whole query: treat it as a first execution.
  const executions = "CASE WHEN serialized_params->>'executions' ~ '^[0-9]{1,9}$' THEN (serialized_params->>'executions')::int ELSE 0 END";
  const sql = `
    WITH ${ADVISORY_LOCKS_CTE},
    unfinished AS (
      SELECT ${queue} AS queue, ${runAt} AS run_at, ${executions} AS executions,
             (${lockedBy}) AS locked
        FROM good_jobs
       WHERE finished_at IS NULL ${queues ? `AND ${queue} = ANY($1::text[])` : ""}
    )
    SELECT queue,
           count(*) FILTER (WHERE NOT locked AND run_at <= now())::int AS depth,
           ${ageMsSql("min(run_at) FILTER (WHERE NOT locked AND run_at <= now())")} AS latency_ms,
           count(*) FILTER (WHERE locked)::int AS busy,
           count(*) FILTER (WHERE NOT locked AND run_at > now() AND executions < 2)::int AS scheduled,
           count(*) FILTER (WHERE NOT locked AND run_at > now() AND executions > 1)::int AS retries,
           0 AS due
      FROM unfinished
     GROUP BY queue
     ORDER BY 2 DESC, 1
     LIMIT ${SQL_DISCOVERY_LIMIT}`;
  const rows = await session.query(sql, queues ? [queues] : [], (raw) => parseQueueRows(raw, "good_jobs"), "good_jobs");
  const { queues: probes } = rowsToQueues(rows, queues);
  return { queues: probes, due: 0, roundTrips: session.roundTrips + 1 };
}
