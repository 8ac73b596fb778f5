import type { ReadOnlySession } from "@/lib/queues/pg-pool";
import { SQL_DISCOVERY_LIMIT } from "@/lib/queues/limits";
import type { BackendReading } from "@/lib/queues/summarize";
import { requireColumns, rowsToQueues } from "@/lib/queues/backends/sql-common";
import { mysqlAgeMsSql, mysqlQueueNameSql, mysqlTableColumns, parseMysqlQueueRows } from "@/lib/queues/backends/mysql-common";

/**
 * Delayed Job on MySQL/MariaDB (JawsDB, ClearDB): the same `delayed_jobs` table and the same
 * meaning as the Postgres reader (delayed-job.ts): ready = not failed, due, not locked (or
 * locked longer ago than the default 4-hour max_run_time); busy = locked; scheduled = in the
 * future, never attempted; retries = in the future after a failed attempt; latency = age of
 * the oldest ready job's `run_at`. DATETIME columns hold UTC, as Rails writes them.
 */
export async function probeDelayedJobMysql(session: ReadOnlySession, queues: string[] | undefined): Promise<BackendReading> {
  const columns = (await mysqlTableColumns(session, ["delayed_jobs"])).get("delayed_jobs");
  requireColumns("delayed_jobs", columns, ["run_at", "locked_at", "failed_at", "attempts"]);
  const queue = columns?.has("queue") ? mysqlQueueNameSql("queue") : `'default'`;
  const sql = `
    SELECT queue,
           SUM(ready) AS depth,
           ${mysqlAgeMsSql("MIN(CASE WHEN ready = 1 THEN run_at END)")} AS latency_ms,
           SUM(unlocked = 0) AS busy,
           SUM(run_at > now_utc AND unlocked = 1 AND attempts = 0) AS scheduled,
           SUM(run_at > now_utc AND unlocked = 1 AND attempts > 0) AS retries,
           0 AS due
      FROM (
        SELECT ${queue} AS queue, run_at, attempts, now_utc, unlocked,
               (run_at <= now_utc AND unlocked = 1) AS ready
          FROM (
            SELECT d.*, UTC_TIMESTAMP(6) AS now_utc,
                   (d.locked_at IS NULL OR d.locked_at < UTC_TIMESTAMP(6) - INTERVAL 4 HOUR) AS unlocked
              FROM delayed_jobs d
             WHERE d.failed_at IS NULL
          ) jobs
         ${queues ? `WHERE ${queue} IN (?)` : ""}
      ) classified
     GROUP BY queue
     ORDER BY depth DESC, queue
     LIMIT ${SQL_DISCOVERY_LIMIT}`;
  const rows = await session.query(sql, queues ? [queues] : [], (raw) => parseMysqlQueueRows(raw, "delayed_jobs"), "delayed_jobs");
  const { queues: probes } = rowsToQueues(rows, queues);
  return { queues: probes, due: 0, roundTrips: session.roundTrips + 1 };
}
