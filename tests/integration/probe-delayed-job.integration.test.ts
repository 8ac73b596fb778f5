import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * `delayed_jobs` with delayed_job_active_record's migration (Rails `datetime` columns are
 * `timestamp without time zone`, written in UTC), in a throwaway database whose default time
 * zone is deliberately not UTC: the probe must read the columns as UTC, as Rails does.
 */
const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
const database = `probe_delayed_job_${randomUUID().slice(0, 8)}`;
const url = `postgresql://postgres@127.0.0.1:5432/${database}`;
const tenant = new pg.Client({ connectionString: url });

const ddl = `
  CREATE TABLE delayed_jobs (
    id bigserial PRIMARY KEY,
    priority integer DEFAULT 0 NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    handler text NOT NULL,
    last_error text,
    run_at timestamp(6) without time zone,
    locked_at timestamp(6) without time zone,
    failed_at timestamp(6) without time zone,
    locked_by character varying,
    queue character varying,
    created_at timestamp(6) without time zone,
    updated_at timestamp(6) without time zone
  );
  CREATE INDEX delayed_jobs_priority ON delayed_jobs (priority, run_at);`;

async function job(queue: string | null, runAtOffsetSeconds: number, extra: { attempts?: number; locked?: boolean; failed?: boolean } = {}) {
  await tenant.query(
    `INSERT INTO delayed_jobs (queue, handler, run_at, attempts, locked_at, locked_by, failed_at, created_at, updated_at)
     VALUES ($1, '--- !ruby/object:Delayed::PerformableMethod {}', now() AT TIME ZONE 'UTC' + make_interval(secs => $2), $3,
             CASE WHEN $4 THEN now() AT TIME ZONE 'UTC' END, CASE WHEN $4 THEN 'host:web.1 pid:4' END,
             CASE WHEN $5 THEN now() AT TIME ZONE 'UTC' END, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')`,
    [queue, runAtOffsetSeconds, extra.attempts ?? 0, extra.locked ?? false, extra.failed ?? false],
  );
}

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.query(`ALTER DATABASE ${database} SET timezone TO 'America/New_York'`);
  await tenant.connect();
  await tenant.query(ddl);
  await job("default", -45);
  await job("default", -10);
  await job("default", -300, { locked: true });
  await job("default", 600);
  await job("default", 120, { attempts: 2 });
  await job("default", -900, { attempts: 25, failed: true });
  await job(null, -4);
});

afterAll(async () => {
  await closeProbeConnections();
  await tenant.end();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe("Delayed Job probe", () => {
  it("reads ready, locked, scheduled and retrying jobs and ignores failed ones", async () => {
    const result = await probeQueues({ backend: "delayed_job", url });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 2, busy: 1, scheduled: 1, retries: 1 });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(44_000);
    expect(byName.default?.latencyMs).toBeLessThan(46_000);
    expect(byName["(none)"]?.depth).toBe(1);
    expect(byName["(none)"]?.latencyMs).toBeGreaterThanOrEqual(3_000);
    expect(byName["(none)"]?.latencyMs).toBeLessThan(5_000);
    expect(result.busy).toBe(1);
    expect(result.due).toBe(0);
  });

  it("answers named queues only, with zeros for a queue without jobs", async () => {
    const result = await probeQueues({ backend: "delayed_job", url, queues: ["default", "mailers"] });
    expect(result.queues.map((q) => [q.name, q.depth])).toEqual([
      ["default", 2],
      ["mailers", 0],
    ]);
  });
});
