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
 * - scheduled vs retried: a job waiting for a future time is a retry when it has run before:
 *   Active Job's `executions` in `serialized_params` is at least 1, or `exception_executions`
 *   counts a failure, or (3.x/4.x, where a retry reuses the row) the row keeps the last
 *   `error`. GoodJob's own dashboard rule (`executions > 1`) counts the first retry of
 *   `retry_on … wait:` as scheduled, because Active Job counts the failed run in
 *   `executions` = 1; the 3.x layout that writes a new row per retry has `executions` = 1 and
 *   `exception_executions` too. A job enqueued with `set(wait:)` has `executions` = 0.
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
  const failedBefore = `EXISTS (SELECT 1 FROM jsonb_each_text(CASE WHEN jsonb_typeof(serialized_params->'exception_executions') = 'object'
                                 THEN serialized_params->'exception_executions' ELSE '{}'::jsonb END) AS counted
                        WHERE counted.value ~ '^0*[1-9][0-9]{0,8}$')${columns?.has("error") ? " OR error IS NOT NULL" : ""}`;
  const sql = `
    WITH ${ADVISORY_LOCKS_CTE},
    unfinished AS (
      SELECT ${queue} AS queue, ${runAt} AS run_at, (${executions} > 0 OR ${failedBefore}) AS retrying,
             (${lockedBy}) AS locked
        FROM good_jobs
       WHERE finished_at IS NULL ${queues ? `AND ${queue} = ANY($1::text[])` : ""}
    )
    SELECT queue,
           count(*) FILTER (WHERE NOT locked AND run_at <= now())::int AS depth,
           ${ageMsSql("min(run_at) FILTER (WHERE NOT locked AND run_at <= now())")} AS latency_ms,
           count(*) FILTER (WHERE locked)::int AS busy,
           count(*) FILTER (WHERE NOT locked AND run_at > now() AND NOT retrying)::int AS scheduled,
           count(*) FILTER (WHERE NOT locked AND run_at > now() AND retrying)::int AS retries,
           0 AS due
      FROM unfinished
     GROUP BY queue
     ORDER BY 2 DESC, 1
     LIMIT ${SQL_DISCOVERY_LIMIT}`;
  const rows = await session.query(sql, queues ? [queues] : [], (raw) => parseQueueRows(raw, "good_jobs"), "good_jobs");
  const { queues: probes } = rowsToQueues(rows, queues);
  return { queues: probes, due: 0, roundTrips: session.roundTrips + 1 };
}
