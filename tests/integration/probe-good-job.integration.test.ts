import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * `good_jobs` as GoodJob 4.x's install migration creates it (with the later `labels`,
 * `locked_by_id`, `locked_at` and `lock_type` columns), as GoodJob 3.x and 2.x had it, each in
 * its own throwaway database. A second session holds GoodJob's advisory lock on a running
 * job, exactly the key GoodJob takes: md5('good_jobs-' || id), first 64 bits.
 */
const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
const suffix = randomUUID().slice(0, 8);
const databases = { current: `probe_good_job_${suffix}`, v3: `probe_good_job_v3_${suffix}`, legacy: `probe_good_job_v2_${suffix}` };
const urlOf = (database: string) => `postgresql://postgres@127.0.0.1:5432/${database}`;
const clients: pg.Client[] = [];

const currentDdl = `
  CREATE TABLE good_jobs (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    queue_name text, priority integer, serialized_params jsonb,
    scheduled_at timestamp(6) without time zone, performed_at timestamp(6) without time zone,
    finished_at timestamp(6) without time zone, error text,
    created_at timestamp(6) without time zone NOT NULL, updated_at timestamp(6) without time zone NOT NULL,
    active_job_id uuid, concurrency_key text, cron_key text, retried_good_job_id uuid,
    cron_at timestamp(6) without time zone, batch_id uuid, batch_callback_id uuid,
    is_discrete boolean, executions_count integer, job_class text, error_event smallint,
    labels text[], locked_by_id uuid, locked_at timestamp(6) without time zone, lock_type smallint
  );
  CREATE INDEX index_good_jobs_on_queue_name_and_scheduled_at ON good_jobs (queue_name, scheduled_at) WHERE finished_at IS NULL;`;

/** GoodJob 3.x: the 4.x table without labels and the lock columns. */
const v3Ddl = `
  CREATE TABLE good_jobs (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    queue_name text, priority integer, serialized_params jsonb,
    scheduled_at timestamp(6) without time zone, performed_at timestamp(6) without time zone,
    finished_at timestamp(6) without time zone, error text,
    created_at timestamp(6) without time zone NOT NULL, updated_at timestamp(6) without time zone NOT NULL,
    active_job_id uuid, concurrency_key text, cron_key text, retried_good_job_id uuid,
    cron_at timestamp(6) without time zone, batch_id uuid, batch_callback_id uuid,
    is_discrete boolean, executions_count integer, job_class text, error_event smallint
  );`;

const legacyDdl = `
  CREATE TABLE good_jobs (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    queue_name text, priority integer, serialized_params jsonb,
    scheduled_at timestamp without time zone, performed_at timestamp without time zone,
    finished_at timestamp without time zone, error text,
    created_at timestamp without time zone NOT NULL, updated_at timestamp without time zone NOT NULL,
    active_job_id uuid, concurrency_key text, cron_key text, retried_good_job_id uuid,
    cron_at timestamp without time zone
  );`;

async function scratch(database: string, ddl: string): Promise<pg.Client> {
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.query(`ALTER DATABASE ${database} SET timezone TO 'Asia/Tokyo'`);
  const client = new pg.Client({ connectionString: urlOf(database) });
  clients.push(client);
  await client.connect();
  await client.query(ddl);
  return client;
}

/**
 * A job id whose lock key has its top bit set (or not): pg_locks shows such a key with a
 * classid above 2^31, which the probe must still match.
 */
function idWithLockTopBit(set: boolean): string {
  for (;;) {
    const id = randomUUID();
    const first = parseInt(createHash("md5").update(`good_jobs-${id}`).digest("hex")[0] ?? "0", 16);
    if (first >= 8 === set) return id;
  }
}

interface JobSpec {
  id?: string;
  queue: string | null;
  scheduledOffset: number | null;
  createdOffset?: number;
  executions?: number;
  /** Active Job's per-exception counts, as `retry_on` keeps them. */
  exceptionExecutions?: Record<string, number>;
  /** The last error GoodJob 3.x/4.x keeps on a row waiting for its retry. */
  error?: string;
  performed?: boolean;
  finished?: boolean;
  lockedBy?: boolean;
}

async function insertJob(client: pg.Client, spec: JobSpec, withLockedBy: boolean): Promise<string> {
  const id = spec.id ?? randomUUID();
  const params = {
    job_class: "ReportJob",
    job_id: id,
    queue_name: spec.queue,
    executions: spec.executions ?? 0,
    exception_executions: spec.exceptionExecutions ?? {},
    arguments: [],
  };
  await client.query(
    `INSERT INTO good_jobs (id, active_job_id, queue_name, priority, serialized_params, scheduled_at, performed_at, finished_at, created_at, updated_at, error
       ${withLockedBy ? ", locked_by_id, locked_at" : ""})
     VALUES ($1, $1, $2, 0, $3,
       CASE WHEN $4::float8 IS NULL THEN NULL ELSE now() AT TIME ZONE 'UTC' + make_interval(secs => $4::float8) END,
       CASE WHEN $5 THEN now() AT TIME ZONE 'UTC' END, CASE WHEN $6 THEN now() AT TIME ZONE 'UTC' END,
       now() AT TIME ZONE 'UTC' + make_interval(secs => $7::float8), now() AT TIME ZONE 'UTC', $8
       ${withLockedBy ? ", CASE WHEN $9 THEN gen_random_uuid() END, CASE WHEN $9 THEN now() AT TIME ZONE 'UTC' END" : ""})`,
    [
      id,
      spec.queue,
      params,
      spec.scheduledOffset,
      spec.performed ?? false,
      spec.finished ?? false,
      spec.createdOffset ?? spec.scheduledOffset ?? 0,
      spec.error ?? null,
      ...(withLockedBy ? [spec.lockedBy ?? false] : []),
    ],
  );
  return id;
}

async function holdAdvisoryLock(database: string, id: string): Promise<void> {
  const locker = new pg.Client({ connectionString: urlOf(database) });
  clients.push(locker);
  await locker.connect();
  await locker.query(`SELECT pg_advisory_lock(('x' || substr(md5('good_jobs-' || $1::text), 1, 16))::bit(64)::bigint)`, [id]);
}

async function seed(database: string, client: pg.Client, withLockedBy: boolean) {
  await insertJob(client, { queue: "default", scheduledOffset: -40 }, withLockedBy);
  await insertJob(client, { queue: "default", scheduledOffset: -10 }, withLockedBy);
  for (const topBit of [true, false, true]) {
    const running = await insertJob(client, { id: idWithLockTopBit(topBit), queue: "default", scheduledOffset: -50, performed: true }, withLockedBy);
    await holdAdvisoryLock(database, running);
  }
  await insertJob(client, { queue: "default", scheduledOffset: 60 }, withLockedBy);
  await insertJob(client, { queue: "default", scheduledOffset: 30, executions: 2 }, withLockedBy);
  // `retry_on Net::ReadTimeout, wait: 45.seconds` after the first failure: Active Job counted
  // the failed run (executions 1) and the exception. 3.x/4.x keep the row and its last error;
  // the 3.x layout with a new row per retry has no error on the new row.
  const timeout = { "[Net::ReadTimeout]": 1 };
  await insertJob(client, { queue: "default", scheduledOffset: 45, executions: 1, exceptionExecutions: timeout, error: "Net::ReadTimeout: Net::ReadTimeout" }, withLockedBy);
  await insertJob(client, { queue: "default", scheduledOffset: 45, executions: 1, exceptionExecutions: timeout }, withLockedBy);
  await insertJob(client, { queue: "default", scheduledOffset: -500, finished: true }, withLockedBy);
  await insertJob(client, { queue: "mailers", scheduledOffset: null, createdOffset: -3 }, withLockedBy);
}

beforeAll(async () => {
  await admin.connect();
  const current = await scratch(databases.current, currentDdl);
  await seed(databases.current, current, true);
  await insertJob(current, { queue: "mailers", scheduledOffset: -20, performed: true, lockedBy: true }, true);
  const v3 = await scratch(databases.v3, v3Ddl);
  await seed(databases.v3, v3, false);
  const legacy = await scratch(databases.legacy, legacyDdl);
  await seed(databases.legacy, legacy, false);
});

afterAll(async () => {
  await closeProbeConnections();
  await Promise.all(clients.map((client) => client.end()));
  for (const database of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe("GoodJob probe", () => {
  it("reads GoodJob 4.x: advisory-locked and locked_by_id jobs are busy, a job that ran before is a retry", async () => {
    const result = await probeQueues({ backend: "good_job", url: urlOf(databases.current) });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 2, busy: 3, scheduled: 1, retries: 3 });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(39_000);
    expect(byName.default?.latencyMs).toBeLessThan(41_000);
    expect(byName.mailers).toMatchObject({ depth: 1, busy: 1 });
    expect(byName.mailers?.latencyMs).toBeGreaterThanOrEqual(2_000);
    expect(byName.mailers?.latencyMs).toBeLessThan(4_000);
    expect(result.busy).toBe(4);
  });

  it("reads GoodJob 3.x: jobs waiting for a retry_on retry are retries, a set(wait:) job is scheduled", async () => {
    const result = await probeQueues({ backend: "good_job", url: urlOf(databases.v3), queues: ["default"] });
    expect(result.queues[0]).toMatchObject({ name: "default", depth: 2, busy: 3, scheduled: 1, retries: 3 });
    expect(result.retries).toBe(3);
    expect(result.scheduled).toBe(1);
  });

  it("reads GoodJob 2.x's table without the newer columns", async () => {
    const result = await probeQueues({ backend: "good_job", url: urlOf(databases.legacy), queues: ["default", "mailers"] });
    const [fallback, mailers] = result.queues;
    expect(fallback).toMatchObject({ name: "default", depth: 2, busy: 3, scheduled: 1, retries: 3 });
    expect(fallback?.latencyMs).toBeGreaterThanOrEqual(39_000);
    expect(fallback?.latencyMs).toBeLessThan(41_000);
    expect(mailers).toMatchObject({ depth: 1, busy: 0 });
  });
});
