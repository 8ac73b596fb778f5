import type { ReadOnlySession } from "@/lib/queues/pg-pool";
import { SQL_DISCOVERY_LIMIT } from "@/lib/queues/limits";
import type { BackendReading } from "@/lib/queues/summarize";
import { ageMsSql, parseQueueRows, queueNameSql, requireColumns, rowsToQueues, tableColumns } from "@/lib/queues/backends/sql-common";

/**
 * Delayed Job (delayed_job_active_record 4.x; the `queue` column came with 3.0 and is
 * optional here). One row per job in `delayed_jobs`:
 *
 * - ready: `failed_at IS NULL`, `run_at <= now()`, and not locked, or locked longer ago than
 *   Delayed Job's default `max_run_time` (4 hours), after which a worker takes it again;
 * - busy: locked by a worker (`locked_at` set, within max_run_time);
 * - scheduled: `run_at` in the future and never attempted; retries: in the future after at
 *   least one failed attempt (`attempts > 0`);
 * - latency: age of the oldest ready job's `run_at`.
 *
 * Jobs that failed for good (`failed_at` set) are not counted. A due job needs nothing to
 * move it, so `due` is always 0.
 */
const STALE_LOCK = "interval '4 hours'";

export async function probeDelayedJob(session: ReadOnlySession, queues: string[] | undefined): Promise<BackendReading> {
  const columns = (await tableColumns(session, ["delayed_jobs"])).get("delayed_jobs");
  requireColumns("delayed_jobs", columns, ["run_at", "locked_at", "failed_at", "attempts"]);
  const queue = columns?.has("queue") ? queueNameSql("queue") : `'default'`;
  const unlocked = `(locked_at IS NULL OR locked_at < now() - ${STALE_LOCK})`;
  const ready = `run_at <= now() AND ${unlocked}`;
  const sql = `
    SELECT ${queue} AS queue,
           count(*) FILTER (WHERE ${ready})::int AS depth,
           ${ageMsSql(`min(run_at) FILTER (WHERE ${ready})`)} AS latency_ms,
           count(*) FILTER (WHERE NOT ${unlocked})::int AS busy,
           count(*) FILTER (WHERE run_at > now() AND ${unlocked} AND attempts = 0)::int AS scheduled,
           count(*) FILTER (WHERE run_at > now() AND ${unlocked} AND attempts > 0)::int AS retries,
           0 AS due
      FROM delayed_jobs
     WHERE failed_at IS NULL ${queues ? `AND ${queue} = ANY($1::text[])` : ""}
     GROUP BY 1
     ORDER BY 2 DESC, 1
     LIMIT ${SQL_DISCOVERY_LIMIT}`;
  const rows = await session.query(sql, queues ? [queues] : [], (raw) => parseQueueRows(raw, "delayed_jobs"), "delayed_jobs");
  const { queues: probes } = rowsToQueues(rows, queues);
  return { queues: probes, due: 0, roundTrips: session.roundTrips + 1 };
}
