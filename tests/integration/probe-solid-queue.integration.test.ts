import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * Solid Queue's tables from its queue_schema.rb (the tables the probe reads, with their
 * columns, defaults and indexes), in a throwaway database. Jobs are placed the way Solid
 * Queue places them: a `solid_queue_jobs` row plus one row in the execution table of its
 * state (ready, scheduled, claimed by a process), and a pause row for a paused queue.
 */
const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
const database = `probe_solid_queue_${randomUUID().slice(0, 8)}`;
const url = `postgresql://postgres@127.0.0.1:5432/${database}`;
const tenant = new pg.Client({ connectionString: url });

const ddl = `
  CREATE TABLE solid_queue_jobs (
    id bigserial PRIMARY KEY, queue_name varchar NOT NULL, class_name varchar NOT NULL, arguments text,
    priority integer DEFAULT 0 NOT NULL, active_job_id varchar, scheduled_at timestamp(6), finished_at timestamp(6),
    concurrency_key varchar, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL
  );
  CREATE INDEX index_solid_queue_jobs_for_filtering ON solid_queue_jobs (queue_name, finished_at);
  CREATE TABLE solid_queue_ready_executions (
    id bigserial PRIMARY KEY, job_id bigint NOT NULL REFERENCES solid_queue_jobs (id) ON DELETE CASCADE,
    queue_name varchar NOT NULL, priority integer DEFAULT 0 NOT NULL, created_at timestamp(6) NOT NULL
  );
  CREATE UNIQUE INDEX index_solid_queue_ready_executions_on_job_id ON solid_queue_ready_executions (job_id);
  CREATE INDEX index_solid_queue_poll_by_queue ON solid_queue_ready_executions (queue_name, priority, job_id);
  CREATE TABLE solid_queue_scheduled_executions (
    id bigserial PRIMARY KEY, job_id bigint NOT NULL REFERENCES solid_queue_jobs (id) ON DELETE CASCADE,
    queue_name varchar NOT NULL, priority integer DEFAULT 0 NOT NULL, scheduled_at timestamp(6) NOT NULL, created_at timestamp(6) NOT NULL
  );
  CREATE INDEX index_solid_queue_dispatch_all ON solid_queue_scheduled_executions (scheduled_at, priority, job_id);
  CREATE TABLE solid_queue_claimed_executions (
    id bigserial PRIMARY KEY, job_id bigint NOT NULL REFERENCES solid_queue_jobs (id) ON DELETE CASCADE,
    process_id bigint, created_at timestamp(6) NOT NULL
  );
  CREATE TABLE solid_queue_failed_executions (
    id bigserial PRIMARY KEY, job_id bigint NOT NULL REFERENCES solid_queue_jobs (id) ON DELETE CASCADE,
    error text, created_at timestamp(6) NOT NULL
  );
  CREATE TABLE solid_queue_pauses (id bigserial PRIMARY KEY, queue_name varchar NOT NULL, created_at timestamp(6) NOT NULL);
  CREATE UNIQUE INDEX index_solid_queue_pauses_on_queue_name ON solid_queue_pauses (queue_name);`;

type State = "ready" | "scheduled" | "claimed" | "failed";

async function job(queue: string, state: State, offsetSeconds: number): Promise<void> {
  const utc = (offset: number) => `now() AT TIME ZONE 'UTC' + make_interval(secs => ${offset})`;
  const { rows } = await tenant.query<{ id: string }>(
    `INSERT INTO solid_queue_jobs (queue_name, class_name, arguments, active_job_id, scheduled_at, created_at, updated_at)
     VALUES ($1, 'ReportJob', '{"executions":0}', $2, ${utc(offsetSeconds)}, ${utc(Math.min(0, offsetSeconds))}, ${utc(0)})
     RETURNING id::text`,
    [queue, randomUUID()],
  );
  const id = rows[0]?.id;
  if (state === "ready") {
    await tenant.query(`INSERT INTO solid_queue_ready_executions (job_id, queue_name, created_at) VALUES ($1, $2, ${utc(offsetSeconds)})`, [id, queue]);
  } else if (state === "scheduled") {
    await tenant.query(
      `INSERT INTO solid_queue_scheduled_executions (job_id, queue_name, scheduled_at, created_at) VALUES ($1, $2, ${utc(offsetSeconds)}, ${utc(-600)})`,
      [id, queue],
    );
  } else if (state === "claimed") {
    await tenant.query(`INSERT INTO solid_queue_claimed_executions (job_id, process_id, created_at) VALUES ($1, 7, ${utc(0)})`, [id]);
  } else {
    await tenant.query(`INSERT INTO solid_queue_failed_executions (job_id, error, created_at) VALUES ($1, 'boom', ${utc(0)})`, [id]);
  }
}

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await tenant.connect();
  await tenant.query(ddl);
  await job("default", "ready", -25);
  await job("default", "ready", -4);
  await job("default", "claimed", -60);
  await job("default", "claimed", -60);
  await job("default", "scheduled", 300);
  await job("default", "scheduled", -3);
  await job("default", "failed", -900);
  await job("background", "ready", -7);
  await tenant.query(`INSERT INTO solid_queue_pauses (queue_name, created_at) VALUES ('background', now())`);
});

afterAll(async () => {
  await closeProbeConnections();
  await tenant.end();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe("Solid Queue probe", () => {
  it("reads ready, claimed and scheduled executions, due ones and paused queues", async () => {
    const result = await probeQueues({ backend: "solid_queue", url });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 2, busy: 2, scheduled: 2, retries: null });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(24_000);
    expect(byName.default?.latencyMs).toBeLessThan(26_000);
    expect(byName.background).toMatchObject({ depth: 1, busy: 0, paused: true });
    expect(result.due).toBe(1);
    expect(result.busy).toBe(2);
    expect(result.retries).toBeNull();
  });

  it("answers named queues with zeros where nothing is queued", async () => {
    const result = await probeQueues({ backend: "solid_queue", url, queues: ["default", "idle"] });
    expect(result.queues.map((q) => [q.name, q.depth, q.busy])).toEqual([
      ["default", 2, 2],
      ["idle", 0, 0],
    ]);
  });
});
