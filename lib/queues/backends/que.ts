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
  UNNAMED_QUEUE,
} from "@/lib/queues/backends/sql-common";

/**
 * Que (0.x, 1.x and 2.x), table `que_jobs`.
 *
 * - 0.x: columns `job_id`, `run_at`, `error_count`, `queue` (default ''); a finished job is
 *   deleted. 1.x/2.x (schema versions 4 to 7): `id`, plus `finished_at` and `expired_at`,
 *   set when a job finishes or runs out of retries; those rows are not counted.
 * - running: a Que worker holds `pg_advisory_lock(<job id>)` while it works a job (and on
 *   jobs its locker has buffered for its workers), so locked jobs are busy, not ready.
 * - ready: `run_at <= now()` and unlocked; latency: age of the oldest such `run_at`.
 * - scheduled: `run_at` in the future with `error_count = 0`; retries: with `error_count > 0`
 *   (Que reschedules a failed job by moving its `run_at`).
 *
 * Due jobs need no promotion, so `due` is 0.
 */
export async function probeQue(session: ReadOnlySession, queues: string[] | undefined): Promise<BackendReading> {
  const columns = (await tableColumns(session, ["que_jobs"])).get("que_jobs");
  requireColumns("que_jobs", columns, ["run_at", "error_count"]);
  const id = columns?.has("id") ? "id" : "job_id";
  requireColumns("que_jobs", columns, [id]);
  const queue = columns?.has("queue") ? queueNameSql("queue") : `'${UNNAMED_QUEUE}'`;
  const live = [
    ...(columns?.has("finished_at") ? ["finished_at IS NULL"] : []),
    ...(columns?.has("expired_at") ? ["expired_at IS NULL"] : []),
    ...(queues ? [`${queue} = ANY($1::text[])`] : []),
  ];
  const sql = `
    WITH ${ADVISORY_LOCKS_CTE},
    live AS (
      SELECT ${queue} AS queue, run_at, error_count,
             (${id} IN (SELECT lock_key FROM advisory_locks)) AS locked
        FROM que_jobs
       ${live.length ? `WHERE ${live.join(" AND ")}` : ""}
    )
    SELECT queue,
           count(*) FILTER (WHERE NOT locked AND run_at <= now())::int AS depth,
           ${ageMsSql("min(run_at) FILTER (WHERE NOT locked AND run_at <= now())")} AS latency_ms,
           count(*) FILTER (WHERE locked)::int AS busy,
           count(*) FILTER (WHERE NOT locked AND run_at > now() AND error_count = 0)::int AS scheduled,
           count(*) FILTER (WHERE NOT locked AND run_at > now() AND error_count > 0)::int AS retries,
           0 AS due
      FROM live
     GROUP BY queue
     ORDER BY 2 DESC, 1
     LIMIT ${SQL_DISCOVERY_LIMIT}`;
  const rows = await session.query(sql, queues ? [queues] : [], (raw) => parseQueueRows(raw, "que_jobs"), "que_jobs");
  const { queues: probes } = rowsToQueues(rows, queues);
  return { queues: probes, due: 0, roundTrips: session.roundTrips + 1 };
}
