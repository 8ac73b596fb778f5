import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * `queue_classic_jobs` as Queue Classic 4.x's migrations leave it, in a throwaway database.
 * One job is locked by a live session (this test's own backend pid, as a worker locks it),
 * one by a pid that has no session any more (a dead worker).
 */
const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
const database = `probe_queue_classic_${randomUUID().slice(0, 8)}`;
const url = `postgresql://postgres@127.0.0.1:5432/${database}`;
const tenant = new pg.Client({ connectionString: url });

const ddl = `
  CREATE TABLE queue_classic_jobs (
    id bigserial PRIMARY KEY,
    q_name text NOT NULL CHECK (length(q_name) > 0),
    method text NOT NULL CHECK (length(method) > 0),
    args jsonb NOT NULL,
    locked_at timestamptz,
    locked_by integer,
    created_at timestamptz DEFAULT now(),
    scheduled_at timestamptz DEFAULT now()
  );
  CREATE INDEX idx_qc_on_name_only_unlocked ON queue_classic_jobs (q_name, id) WHERE locked_at IS NULL;
  CREATE INDEX idx_qc_on_scheduled_at_only_unlocked ON queue_classic_jobs (scheduled_at, id) WHERE locked_at IS NULL;`;

async function job(queue: string, scheduledOffsetSeconds: number, lockedBy: "live" | "dead" | null = null) {
  await tenant.query(
    `INSERT INTO queue_classic_jobs (q_name, method, args, scheduled_at, created_at, locked_at, locked_by)
     VALUES ($1, 'Kernel.puts', '["hello"]', now() + make_interval(secs => $2), now() + make_interval(secs => least($2, 0)),
             CASE WHEN $3::text IS NOT NULL THEN now() END,
             CASE $3::text WHEN 'live' THEN pg_backend_pid() WHEN 'dead' THEN 2147483000 END)`,
    [queue, scheduledOffsetSeconds, lockedBy],
  );
}

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await tenant.connect();
  await tenant.query(ddl);
  await job("default", -30);
  await job("default", -5);
  await job("default", -10, "live");
  await job("default", -60, "dead");
  await job("default", 600);
  await job("low", -2);
});

afterAll(async () => {
  await closeProbeConnections();
  await tenant.end();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe("Queue Classic probe", () => {
  it("reads ready, running, dead-locked and scheduled jobs", async () => {
    const result = await probeQueues({ backend: "queue_classic", url });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 3, busy: 1, scheduled: 1, retries: null });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(59_000);
    expect(byName.default?.latencyMs).toBeLessThan(70_000);
    expect(byName.low).toMatchObject({ depth: 1, busy: 0 });
    expect(result.busy).toBe(1);
    expect(result.retries).toBeNull();
  });

  it("answers named queues only, with zeros for a queue without jobs", async () => {
    const result = await probeQueues({ backend: "queue_classic", url, queues: ["low", "mailers"] });
    expect(result.queues.map((q) => [q.name, q.depth])).toEqual([
      ["low", 1],
      ["mailers", 0],
    ]);
  });

  it("names the missing table", async () => {
    await expect(probeQueues({ backend: "queue_classic", url: "postgresql://postgres@127.0.0.1:5432/postgres" })).rejects.toMatchObject({
      kind: "table_missing",
    });
  });
});
