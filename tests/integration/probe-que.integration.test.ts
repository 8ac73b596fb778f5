import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * `que_jobs` as Que's migrations leave it at schema version 7 (Que 1.x/2.x: `id`,
 * `finished_at`, `expired_at`, `data`, `kwargs`, plus `que_lockers`) and at version 3
 * (Que 0.x: `job_id`, queue '' by default, finished jobs deleted), each in its own
 * throwaway database. Running jobs are held the way Que's workers hold them:
 * pg_advisory_lock(<job id>) from another session.
 */
const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
const suffix = randomUUID().slice(0, 8);
const databases = { current: `probe_que_${suffix}`, legacy: `probe_que_v0_${suffix}` };
const urlOf = (database: string) => `postgresql://postgres@127.0.0.1:5432/${database}`;
const clients: pg.Client[] = [];

const currentDdl = `
  CREATE TABLE que_jobs (
    priority smallint DEFAULT 100 NOT NULL,
    run_at timestamp with time zone DEFAULT now() NOT NULL,
    id bigserial PRIMARY KEY,
    job_class text NOT NULL,
    error_count integer DEFAULT 0 NOT NULL,
    last_error_message text,
    queue text DEFAULT 'default' NOT NULL,
    last_error_backtrace text,
    finished_at timestamp with time zone,
    expired_at timestamp with time zone,
    args jsonb DEFAULT '[]'::jsonb NOT NULL,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    job_schema_version integer NOT NULL,
    kwargs jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT error_length CHECK (char_length(last_error_message) <= 500 AND char_length(last_error_backtrace) <= 10000),
    CONSTRAINT job_class_length CHECK (char_length(job_class) <= 200),
    CONSTRAINT queue_length CHECK (char_length(queue) <= 100)
  );
  CREATE INDEX que_poll_idx ON que_jobs (job_schema_version, queue, priority, run_at, id) WHERE finished_at IS NULL AND expired_at IS NULL;
  CREATE UNLOGGED TABLE que_lockers (
    pid integer NOT NULL PRIMARY KEY,
    worker_count integer NOT NULL,
    worker_priorities integer[] NOT NULL,
    ruby_pid integer NOT NULL,
    ruby_hostname text NOT NULL,
    queues text[] NOT NULL,
    listening boolean NOT NULL,
    job_schema_version integer DEFAULT 1
  );`;

const legacyDdl = `
  CREATE TABLE que_jobs (
    priority smallint NOT NULL DEFAULT 100,
    run_at timestamptz NOT NULL DEFAULT now(),
    job_id bigserial NOT NULL,
    job_class text NOT NULL,
    args json NOT NULL DEFAULT '[]'::json,
    error_count integer NOT NULL DEFAULT 0,
    last_error text,
    queue text NOT NULL DEFAULT '',
    CONSTRAINT que_jobs_pkey PRIMARY KEY (queue, priority, run_at, job_id)
  );`;

async function scratch(database: string, ddl: string): Promise<pg.Client> {
  await admin.query(`CREATE DATABASE ${database}`);
  const client = new pg.Client({ connectionString: urlOf(database) });
  clients.push(client);
  await client.connect();
  await client.query(ddl);
  return client;
}

async function lockJob(database: string, id: string): Promise<void> {
  const locker = new pg.Client({ connectionString: urlOf(database) });
  clients.push(locker);
  await locker.connect();
  await locker.query("SELECT pg_advisory_lock($1::bigint)", [id]);
}

beforeAll(async () => {
  await admin.connect();
  const current = await scratch(databases.current, currentDdl);
  const insert = (queue: string, offsetSeconds: number, extra = "") =>
    current.query<{ id: string }>(
      `INSERT INTO que_jobs (job_class, queue, run_at, job_schema_version, args${extra ? ", error_count, finished_at, expired_at" : ""})
       VALUES ('ReportJob', $1, now() + make_interval(secs => $2), 2, '[]'${extra}) RETURNING id::text`,
      [queue, offsetSeconds],
    );
  await insert("default", -35);
  await insert("default", -5);
  const running = await insert("default", -100);
  await lockJob(databases.current, running.rows[0]?.id ?? "0");
  await insert("default", 300);
  await insert("default", 60, ", 3, NULL, NULL");
  await insert("default", -200, ", 0, now(), NULL");
  await insert("default", -200, ", 15, NULL, now()");
  await insert("mailers", -2);

  const legacy = await scratch(databases.legacy, legacyDdl);
  await legacy.query(`INSERT INTO que_jobs (job_class, run_at) VALUES ('OldJob', now() - interval '12 seconds'), ('OldJob', now() + interval '1 hour')`);
  const legacyRunning = await legacy.query<{ job_id: string }>(
    `INSERT INTO que_jobs (job_class, run_at, queue) VALUES ('OldJob', now() - interval '1 minute', 'critical') RETURNING job_id::text`,
  );
  await lockJob(databases.legacy, legacyRunning.rows[0]?.job_id ?? "0");
});

afterAll(async () => {
  await closeProbeConnections();
  await Promise.all(clients.map((client) => client.end()));
  for (const database of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe("Que probe", () => {
  it("reads Que 1.x/2.x: locked jobs busy, finished and expired ignored, error_count splits retries", async () => {
    const result = await probeQueues({ backend: "que", url: urlOf(databases.current) });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 2, busy: 1, scheduled: 1, retries: 1 });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(34_000);
    expect(byName.default?.latencyMs).toBeLessThan(36_000);
    expect(byName.mailers?.depth).toBe(1);
    expect(result.busy).toBe(1);
  });

  it("reads Que 0.x's job_id table with its unnamed default queue", async () => {
    const result = await probeQueues({ backend: "que", url: urlOf(databases.legacy) });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName["(none)"]).toMatchObject({ depth: 1, busy: 0, scheduled: 1, retries: 0 });
    expect(byName["(none)"]?.latencyMs).toBeGreaterThanOrEqual(11_000);
    expect(byName["(none)"]?.latencyMs).toBeLessThan(13_000);
    expect(byName.critical).toMatchObject({ depth: 0, busy: 1 });
  });
});
