import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withMysqlReadOnlyTransaction } from "@/lib/queues/mysql-pool";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";
import type { ProbeResult } from "@/lib/queues/schema";

/**
 * Delayed Job and Solid Queue on this machine's MariaDB, in a database of their own, with
 * the tables as Rails creates them on MySQL (delayed_job_active_record's migration; Solid
 * Queue's db/queue_schema.rb): DATETIME(6) columns written in UTC. The test's own session
 * runs in another time zone, so a reader comparing with the session clock would be off by
 * hours.
 */
const database = `ebbflow_probes_${randomUUID().slice(0, 8)}`;
const url = `mysql://root@127.0.0.1:3306/${database}`;
const run = promisify(execFile);
let admin: mysql.Connection;

const ddl = [
  `CREATE TABLE delayed_jobs (
     id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
     priority int NOT NULL DEFAULT 0,
     attempts int NOT NULL DEFAULT 0,
     handler mediumtext NOT NULL,
     last_error text,
     run_at datetime(6),
     locked_at datetime(6),
     failed_at datetime(6),
     locked_by varchar(255),
     queue varchar(255),
     created_at datetime(6),
     updated_at datetime(6),
     KEY delayed_jobs_priority (priority, run_at)
   )`,
  `CREATE TABLE solid_queue_jobs (
     id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
     queue_name varchar(255) NOT NULL,
     class_name varchar(255) NOT NULL,
     arguments text,
     priority int NOT NULL DEFAULT 0,
     active_job_id varchar(255),
     scheduled_at datetime(6),
     finished_at datetime(6),
     concurrency_key varchar(255),
     created_at datetime(6) NOT NULL,
     updated_at datetime(6) NOT NULL
   )`,
  `CREATE TABLE solid_queue_ready_executions (
     id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
     job_id bigint NOT NULL,
     queue_name varchar(255) NOT NULL,
     priority int NOT NULL DEFAULT 0,
     created_at datetime(6) NOT NULL,
     UNIQUE KEY index_solid_queue_ready_executions_on_job_id (job_id)
   )`,
  `CREATE TABLE solid_queue_claimed_executions (
     id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
     job_id bigint NOT NULL,
     process_id bigint,
     created_at datetime(6) NOT NULL
   )`,
  `CREATE TABLE solid_queue_scheduled_executions (
     id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
     job_id bigint NOT NULL,
     queue_name varchar(255) NOT NULL,
     priority int NOT NULL DEFAULT 0,
     scheduled_at datetime(6) NOT NULL,
     created_at datetime(6) NOT NULL
   )`,
  `CREATE TABLE solid_queue_pauses (
     id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
     queue_name varchar(255) NOT NULL,
     created_at datetime(6) NOT NULL
   )`,
];

async function delayedJob(queue: string | null, runAtOffsetSeconds: number, extra: { attempts?: number; locked?: boolean; failed?: boolean } = {}) {
  await admin.query(
    `INSERT INTO delayed_jobs (queue, handler, run_at, attempts, locked_at, locked_by, failed_at, created_at, updated_at)
     VALUES (?, '--- !ruby/object:Delayed::PerformableMethod {}', UTC_TIMESTAMP(6) + INTERVAL ? SECOND, ?,
             IF(?, UTC_TIMESTAMP(6), NULL), IF(?, 'host:web.1 pid:4', NULL), IF(?, UTC_TIMESTAMP(6), NULL),
             UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`,
    [queue, runAtOffsetSeconds, extra.attempts ?? 0, extra.locked ?? false, extra.locked ?? false, extra.failed ?? false],
  );
}

async function solidJob(queue: string, state: "ready" | "claimed" | "scheduled", offsetSeconds = 0): Promise<void> {
  const [inserted] = await admin.query<mysql.ResultSetHeader>(
    `INSERT INTO solid_queue_jobs (queue_name, class_name, arguments, active_job_id, scheduled_at, created_at, updated_at)
     VALUES (?, 'ResizeJob', '{}', UUID(), UTC_TIMESTAMP(6) + INTERVAL ? SECOND, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`,
    [queue, offsetSeconds],
  );
  const jobId = inserted.insertId;
  if (state === "ready") {
    await admin.query(`INSERT INTO solid_queue_ready_executions (job_id, queue_name, created_at) VALUES (?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)`, [
      jobId,
      queue,
      offsetSeconds,
    ]);
  } else if (state === "claimed") {
    await admin.query(`INSERT INTO solid_queue_claimed_executions (job_id, process_id, created_at) VALUES (?, 1, UTC_TIMESTAMP(6))`, [jobId]);
  } else {
    await admin.query(
      `INSERT INTO solid_queue_scheduled_executions (job_id, queue_name, scheduled_at, created_at) VALUES (?, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND, UTC_TIMESTAMP(6))`,
      [jobId, queue, offsetSeconds],
    );
  }
}

beforeAll(async () => {
  const root = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root" });
  await root.query(`CREATE DATABASE ${database}`);
  await root.end();
  admin = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root", database });
  await admin.query("SET SESSION time_zone = '-05:00'");
  for (const statement of ddl) await admin.query(statement);

  await delayedJob("default", -45);
  await delayedJob("default", -10);
  await delayedJob("default", -300, { locked: true });
  await delayedJob("default", 600);
  await delayedJob("default", 120, { attempts: 2 });
  await delayedJob("default", -900, { attempts: 25, failed: true });
  await delayedJob(null, -4);

  await solidJob("default", "ready", -30);
  await solidJob("default", "ready", -5);
  await solidJob("default", "claimed");
  await solidJob("default", "scheduled", 300);
  await solidJob("default", "scheduled", -20);
  await solidJob("mailers", "ready", -2);
  await admin.query(`INSERT INTO solid_queue_pauses (queue_name, created_at) VALUES ('mailers', UTC_TIMESTAMP(6))`);
});

afterAll(async () => {
  await closeProbeConnections();
  await admin?.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin?.end();
});

describe("Delayed Job on MySQL/MariaDB", () => {
  it("reads ready, locked, scheduled and retrying jobs, in UTC, and ignores failed ones", async () => {
    const result = await probeQueues({ backend: "delayed_job", url });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 2, busy: 1, scheduled: 1, retries: 1 });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(44_000);
    expect(byName.default?.latencyMs).toBeLessThan(55_000);
    expect(byName["(none)"]).toMatchObject({ depth: 1, busy: 0 });
    expect(result.busy).toBe(1);
    expect(result.due).toBe(0);
    expect(result.roundTrips).toBe(4);
  });

  it("answers named queues only, with zeros for a queue without jobs", async () => {
    const result = await probeQueues({ backend: "delayed_job", url, queues: ["default", "mailers", "(none)"] });
    expect(result.queues.map((q) => [q.name, q.depth])).toEqual([
      ["(none)", 1],
      ["default", 2],
      ["mailers", 0],
    ]);
  });

  it("the probe CLI reads a mysql:// URL", async () => {
    const { stdout } = await run("node", ["--import", "tsx", "scripts/probe.ts", "--backend", "delayed_job", "--url", url], {
      cwd: process.cwd(),
      timeout: 30_000,
    });
    const result = JSON.parse(stdout) as ProbeResult;
    expect(result.backend).toBe("delayed_job");
    expect(result.totalDepth).toBe(3);
  });
});

describe("Solid Queue on MySQL/MariaDB", () => {
  it("reads ready, claimed, scheduled, due and paused queues", async () => {
    const result = await probeQueues({ backend: "solid_queue", url });
    const byName = Object.fromEntries(result.queues.map((q) => [q.name, q]));
    expect(byName.default).toMatchObject({ depth: 2, busy: 1, scheduled: 2, retries: null });
    expect(byName.default?.latencyMs).toBeGreaterThanOrEqual(29_000);
    // Upper bounds leave room for the setup and the CLI test before it on a loaded machine.
    expect(byName.default?.latencyMs).toBeLessThan(40_000);
    expect(byName.default?.paused).toBeUndefined();
    expect(byName.mailers).toMatchObject({ depth: 1, busy: 0, paused: true });
    expect(result.due).toBe(1);
    expect(result.retries).toBeNull();
  });

  it("answers named queues only", async () => {
    const result = await probeQueues({ backend: "solid_queue", url, queues: ["mailers", "reports"] });
    expect(result.queues.map((q) => [q.name, q.depth])).toEqual([
      ["mailers", 1],
      ["reports", 0],
    ]);
  });
});

describe("MySQL connection", () => {
  it("reads inside a transaction the server keeps read-only", async () => {
    await expect(
      withMysqlReadOnlyTransaction(url, (session) => session.query("DELETE FROM delayed_jobs", [], (rows) => rows, "delayed_jobs")),
    ).rejects.toThrow();
    const [rows] = await admin.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM delayed_jobs");
    expect(rows[0]?.n).toBe(7);
  });

  it("names a missing table, a missing database and refused credentials", async () => {
    await expect(probeQueues({ backend: "solid_queue", url: `mysql://root@127.0.0.1:3306/mysql` })).rejects.toMatchObject({ kind: "table_missing" });
    await expect(probeQueues({ backend: "delayed_job", url: `mysql://root@127.0.0.1:3306/no_such_db_${database}` })).rejects.toMatchObject({
      kind: "auth_failed",
    });
    await expect(probeQueues({ backend: "delayed_job", url: `mysql://nobody_${database}:x@127.0.0.1:3306/${database}` })).rejects.toMatchObject({
      kind: "auth_failed",
    });
    await expect(probeQueues({ backend: "good_job", url })).rejects.toMatchObject({ kind: "invalid_config" });
  });
});
