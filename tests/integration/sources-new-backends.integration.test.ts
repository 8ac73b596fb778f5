import { randomUUID } from "node:crypto";
import amqp from "amqplib";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { describeSource } from "@/lib/dashboard/describe-source";
import { sourceRequestSchema, storedSource } from "@/lib/dashboard/queue-source-request";
import { saveQueueSource } from "@/lib/dashboard/save-queue-source";
import { testQueueSource } from "@/lib/dashboard/test-queue-source";
import { closeProbeConnections } from "@/lib/queues/probe";
import { disconnectWebRedis } from "@/lib/redis/connection";

/**
 * The Sources page's save and "test connection" for the new kinds of store: Celery on
 * RabbitMQ with a management URL (kept when the form leaves it blank, shown as its host
 * only) and Delayed Job on MariaDB, for a tenant of its own.
 */
const management = "http://127.0.0.1:15672";
const vhost = `ebbflow_probes_${randomUUID().slice(0, 8)}`;
const amqpUrl = `amqp://guest:guest@127.0.0.1:5672/${vhost}`;
const database = `ebbflow_probes_${randomUUID().slice(0, 8)}`;
const mysqlUrl = `mysql://root@127.0.0.1:3306/${database}`;
let tenantId = "";

async function api(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${management}${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from("guest:guest").toString("base64")}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === "DELETE" && response.status === 404)) throw new Error(`${method} ${path}: ${response.status}`);
}

const form = (fields: Record<string, unknown>) => sourceRequestSchema.parse({ mode: "probe", processType: "worker", ...fields });

beforeAll(async () => {
  const tenant = await db.tenant.create({
    data: { channel: "heroku", appName: `sources-test-${randomUUID().slice(0, 8)}`, plan: "standard", state: "active" },
    select: { id: true },
  });
  tenantId = tenant.id;
  await api("PUT", `/api/vhosts/${vhost}`, {});
  await api("PUT", `/api/permissions/${vhost}/guest`, { configure: ".*", write: ".*", read: ".*" });
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue("celery", { durable: true });
  channel.sendToQueue("celery", Buffer.from("[[], {}, {}]"), { contentType: "application/json", headers: { task: "t", id: randomUUID() } });
  await channel.waitForConfirms();
  await connection.close();
  const root = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root" });
  await root.query(`CREATE DATABASE ${database}`);
  await root.query(
    `CREATE TABLE ${database}.delayed_jobs (id bigint AUTO_INCREMENT PRIMARY KEY, priority int NOT NULL DEFAULT 0, attempts int NOT NULL DEFAULT 0,
       handler mediumtext NOT NULL, last_error text, run_at datetime(6), locked_at datetime(6), failed_at datetime(6), locked_by varchar(255),
       queue varchar(255), created_at datetime(6), updated_at datetime(6))`,
  );
  await root.query(`INSERT INTO ${database}.delayed_jobs (handler, run_at, queue) VALUES ('---', UTC_TIMESTAMP(6) - INTERVAL 5 SECOND, 'default')`);
  await root.end();
});

afterAll(async () => {
  await closeProbeConnections();
  await db.tenant.delete({ where: { id: tenantId } });
  await api("DELETE", `/api/vhosts/${vhost}`);
  const root = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root" });
  await root.query(`DROP DATABASE IF EXISTS ${database}`);
  await root.end();
  await disconnectWebRedis();
  await disconnectDb();
});

describe("Sources page: RabbitMQ and MySQL", () => {
  it("saves Celery on RabbitMQ with a management URL, shows only hosts, and keeps both when the form leaves them blank", async () => {
    await saveQueueSource(tenantId, form({ backend: "celery", url: amqpUrl, managementUrl: `http://guest:guest@127.0.0.1:15672`, queues: ["celery"] }));
    const stored = await storedSource(tenantId, "worker");
    expect(stored?.managementUrl).toBe("http://guest:guest@127.0.0.1:15672");
    const summary = describeSource(stored ?? { backend: "celery", url: "" });
    expect(summary).toMatchObject({ backend: "celery", host: "127.0.0.1:5672", managementHost: "127.0.0.1:15672" });
    expect(JSON.stringify(summary)).not.toContain("guest");

    // A new queue has no counters in the management API until its first statistics (5 s).
    let test = await testQueueSource(tenantId, form({ backend: "celery", queues: ["celery"] }));
    for (let attempt = 0; attempt < 30 && test.ok && test.result.queues[0]?.busy === null; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      test = await testQueueSource(tenantId, form({ backend: "celery", queues: ["celery"] }));
    }
    expect(test.ok).toBe(true);
    if (test.ok) expect(test.result.queues[0]).toMatchObject({ name: "celery", depth: 1, busy: 0 });
  });

  it("refuses a management URL on a Redis source, and a mysql:// URL for a Postgres-only backend", async () => {
    const redis = await testQueueSource(tenantId, form({ backend: "celery", url: "redis://127.0.0.1:6379/12", managementUrl: management }));
    expect(redis).toMatchObject({ ok: false, kind: "invalid_config" });
    if (!redis.ok) expect(redis.message).toMatch(/managementUrl/);
    const goodJob = await testQueueSource(tenantId, form({ backend: "good_job", url: mysqlUrl }));
    expect(goodJob).toMatchObject({ ok: false, kind: "invalid_config" });
    if (!goodJob.ok) expect(goodJob.message).toMatch(/postgres/);
  });

  it("tests Delayed Job on MariaDB", async () => {
    const test = await testQueueSource(tenantId, form({ backend: "delayed_job", url: mysqlUrl }));
    expect(test.ok).toBe(true);
    if (test.ok) expect(test.result.queues).toEqual([expect.objectContaining({ name: "default", depth: 1, busy: 0 })]);
  });
});
