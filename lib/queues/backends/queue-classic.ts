import type { ReadOnlySession } from "@/lib/queues/pg-pool";
import { SQL_DISCOVERY_LIMIT } from "@/lib/queues/limits";
import type { BackendReading } from "@/lib/queues/summarize";
import { ageMsSql, parseQueueRows, requireColumns, rowsToQueues, tableColumns } from "@/lib/queues/backends/sql-common";

/**
 * Queue Classic (2.x to 4.x), table `queue_classic_jobs`: one row per job, deleted when the
 * job ends (whether it succeeded or failed; Queue Classic does not retry).
 *
 * - a worker locks a job by setting `locked_at` and `locked_by` = its backend pid. A lock
 *   held by a pid that no longer has a session belongs to a dead worker: the job waits for
 *   the next worker to start and unlock it (Queue Classic's unlock_jobs_of_dead_workers),
 *   so it is ready, not busy. pg_stat_activity shows every session's pid to any user.
 * - ready: unlocked (or dead-locked) and `scheduled_at <= now()` (3.x added `scheduled_at`;
 *   2.x's jobs are ready from `created_at`); latency: age of the oldest such time.
 * - scheduled: `scheduled_at` in the future (`enqueue_at`/`enqueue_in`); an app that retries
 *   by enqueueing again later looks the same, so retries are unknown (null).
 *
 * Columns are `timestamptz`, so the session's time zone does not matter. `due` is 0: any
 * worker takes a job whose time has come.
 */
export async function probeQueueClassic(session: ReadOnlySession, queues: string[] | undefined): Promise<BackendReading> {
  const columns = (await tableColumns(session, ["queue_classic_jobs"])).get("queue_classic_jobs");
  requireColumns("queue_classic_jobs", columns, ["q_name", "locked_at", "created_at"]);
  const runAt = columns?.has("scheduled_at") ? "COALESCE(scheduled_at, created_at)" : "created_at";
  const alive = columns?.has("locked_by") ? "locked_by IN (SELECT pid FROM pg_stat_activity)" : "TRUE";
  const sql = `
    WITH jobs AS (
      SELECT q_name AS queue, ${runAt} AS run_at, (locked_at IS NOT NULL AND ${alive}) AS locked
        FROM queue_classic_jobs
       ${queues ? "WHERE q_name = ANY($1::text[])" : ""}
    )
    SELECT queue,
           count(*) FILTER (WHERE NOT locked AND run_at <= now())::int AS depth,
           ${ageMsSql("min(run_at) FILTER (WHERE NOT locked AND run_at <= now())")} AS latency_ms,
           count(*) FILTER (WHERE locked)::int AS busy,
           count(*) FILTER (WHERE NOT locked AND run_at > now())::int AS scheduled,
           NULL::int AS retries,
           0 AS due
      FROM jobs
     GROUP BY queue
     ORDER BY 2 DESC, 1
     LIMIT ${SQL_DISCOVERY_LIMIT}`;
  const rows = await session.query(sql, queues ? [queues] : [], (raw) => parseQueueRows(raw, "queue_classic_jobs"), "queue_classic_jobs");
  const { queues: probes } = rowsToQueues(rows, queues);
  return { queues: probes.map((probe) => ({ ...probe, retries: null })), due: 0, retries: null, roundTrips: session.roundTrips + 1 };
}
