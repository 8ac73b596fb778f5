import { randomUUID } from "node:crypto";
import amqp, { type ChannelModel } from "amqplib";
import Bull from "bull";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";
import pg from "pg";
import { probeQueues } from "@/lib/queues/probe";
import type { QueueSourceInput } from "@/lib/queues/schema";

/**
 * Cost of one probe for each reader added after the Sidekiq benchmark, against this machine's
 * servers: RabbitMQ (with and without the management API), MariaDB (Delayed Job, Solid
 * Queue), Postgres (Queue Classic) and Redis (Bull, Dramatiq). Each store holds three queues
 * with jobs in them; each reader is probed `probes` times on a warm pooled connection.
 * Round trips are what the probe reports (a pipeline, a transaction statement, an AMQP
 * request wave or a management API request each count once).
 */
export interface ReaderCost {
  reader: string;
  roundTrips: number;
  ms: { p50: number; p99: number; max: number };
}

interface Store {
  name: string;
  source: QueueSourceInput;
  cleanup: () => Promise<void>;
}

const queues = ["default", "mailers", "reports"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function rabbitStores(): Promise<Store[]> {
  const management = "http://127.0.0.1:15672";
  const vhost = `ebbflow_bench_${randomUUID().slice(0, 8)}`;
  const auth = { authorization: `Basic ${Buffer.from("guest:guest").toString("base64")}`, "content-type": "application/json" };
  await fetch(`${management}/api/vhosts/${vhost}`, { method: "PUT", headers: auth, body: "{}" });
  await fetch(`${management}/api/permissions/${vhost}/guest`, { method: "PUT", headers: auth, body: JSON.stringify({ configure: ".*", write: ".*", read: ".*" }) });
  const url = `amqp://guest:guest@127.0.0.1:5672/${vhost}`;
  const connection: ChannelModel = await amqp.connect(url);
  const channel = await connection.createConfirmChannel();
  for (const queue of queues) {
    await channel.assertQueue(queue, { durable: true });
    for (let index = 0; index < 50; index += 1) channel.sendToQueue(queue, Buffer.from("[[], {}, {}]"), { headers: { task: "t", id: randomUUID() } });
  }
  await channel.waitForConfirms();
  const cleanup = async () => {
    await connection.close();
    await fetch(`${management}/api/vhosts/${vhost}`, { method: "DELETE", headers: auth });
  };
  return [
    { name: "celery on RabbitMQ", source: { backend: "celery", url, queues }, cleanup: async () => undefined },
    { name: "celery on RabbitMQ + management API", source: { backend: "celery", url, queues, managementUrl: management }, cleanup },
  ];
}

async function mysqlStores(): Promise<Store[]> {
  const database = `ebbflow_bench_${randomUUID().slice(0, 8)}`;
  const root = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root", multipleStatements: true });
  await root.query(`CREATE DATABASE ${database}; USE ${database};
    CREATE TABLE delayed_jobs (id bigint AUTO_INCREMENT PRIMARY KEY, priority int NOT NULL DEFAULT 0, attempts int NOT NULL DEFAULT 0,
      handler mediumtext NOT NULL, last_error text, run_at datetime(6), locked_at datetime(6), failed_at datetime(6), locked_by varchar(255),
      queue varchar(255), created_at datetime(6), updated_at datetime(6), KEY delayed_jobs_priority (priority, run_at));
    CREATE TABLE solid_queue_jobs (id bigint AUTO_INCREMENT PRIMARY KEY, queue_name varchar(255) NOT NULL, class_name varchar(255) NOT NULL,
      created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
    CREATE TABLE solid_queue_ready_executions (id bigint AUTO_INCREMENT PRIMARY KEY, job_id bigint NOT NULL, queue_name varchar(255) NOT NULL,
      priority int NOT NULL DEFAULT 0, created_at datetime(6) NOT NULL);
    CREATE TABLE solid_queue_claimed_executions (id bigint AUTO_INCREMENT PRIMARY KEY, job_id bigint NOT NULL, process_id bigint, created_at datetime(6) NOT NULL);
    CREATE TABLE solid_queue_scheduled_executions (id bigint AUTO_INCREMENT PRIMARY KEY, job_id bigint NOT NULL, queue_name varchar(255) NOT NULL,
      priority int NOT NULL DEFAULT 0, scheduled_at datetime(6) NOT NULL, created_at datetime(6) NOT NULL);
    CREATE TABLE solid_queue_pauses (id bigint AUTO_INCREMENT PRIMARY KEY, queue_name varchar(255) NOT NULL, created_at datetime(6) NOT NULL);`);
  for (const [index, queue] of queues.entries()) {
    for (let job = 0; job < 50; job += 1) {
      const offset = job % 5 === 0 ? 600 : -(job + index);
      await root.query(`INSERT INTO delayed_jobs (queue, handler, run_at) VALUES (?, '---', UTC_TIMESTAMP(6) + INTERVAL ? SECOND)`, [queue, offset]);
      const [inserted] = await root.query<mysql.ResultSetHeader>(
        `INSERT INTO solid_queue_jobs (queue_name, class_name, created_at, updated_at) VALUES (?, 'Job', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`,
        [queue],
      );
      await root.query(`INSERT INTO solid_queue_ready_executions (job_id, queue_name, created_at) VALUES (?, ?, UTC_TIMESTAMP(6))`, [inserted.insertId, queue]);
    }
  }
  const url = `mysql://root@127.0.0.1:3306/${database}`;
  const cleanup = async () => {
    await root.query(`DROP DATABASE IF EXISTS ${database}`);
    await root.end();
  };
  return [
    { name: "delayed_job on MariaDB", source: { backend: "delayed_job", url, queues }, cleanup: async () => undefined },
    { name: "solid_queue on MariaDB", source: { backend: "solid_queue", url, queues }, cleanup },
  ];
}

async function queueClassicStore(): Promise<Store> {
  const database = `ebbflow_bench_qc_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = `postgresql://postgres@127.0.0.1:5432/${database}`;
  const tenant = new pg.Client({ connectionString: url });
  await tenant.connect();
  await tenant.query(`CREATE TABLE queue_classic_jobs (id bigserial PRIMARY KEY, q_name text NOT NULL, method text NOT NULL, args jsonb NOT NULL,
    locked_at timestamptz, locked_by integer, created_at timestamptz DEFAULT now(), scheduled_at timestamptz DEFAULT now())`);
  await tenant.query(`INSERT INTO queue_classic_jobs (q_name, method, args) SELECT q, 'Kernel.puts', '[]' FROM unnest($1::text[]) q, generate_series(1, 50)`, [queues]);
  await tenant.end();
  return {
    name: "queue_classic on Postgres",
    source: { backend: "queue_classic", url, queues },
    cleanup: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function redisStores(redisUrl: string): Promise<Store[]> {
  const prefix = `benchbull${randomUUID().slice(0, 8)}`;
  const namespace = `benchdramatiq${randomUUID().slice(0, 8)}`;
  const bullQueues = queues.map((name) => new Bull(name, redisUrl, { prefix }));
  for (const queue of bullQueues) await queue.addBulk(Array.from({ length: 50 }, (_, n) => ({ data: { n } })));
  const admin = new Redis(redisUrl);
  const now = Date.now();
  for (const queue of queues) {
    for (let n = 0; n < 50; n += 1) {
      const id = randomUUID();
      const message = { queue_name: queue, actor_name: "a", args: [], kwargs: {}, options: {}, message_id: id, message_timestamp: now - n * 1000 };
      await admin.hset(`${namespace}:${queue}.msgs`, id, JSON.stringify(message));
      await admin.rpush(`${namespace}:${queue}`, id);
    }
  }
  await admin.zadd(`${namespace}:__heartbeats__`, now, "worker-1");
  const removeKeys = async (match: string) => {
    for await (const keys of admin.scanStream({ match, count: 500 })) if ((keys as string[]).length) await admin.del(...(keys as string[]));
  };
  return [
    {
      name: "bull on Redis",
      source: { backend: "bull", url: redisUrl, prefix, queues },
      cleanup: async () => {
        await Promise.all(bullQueues.map((queue) => queue.close()));
        await removeKeys(`${prefix}:*`);
      },
    },
    {
      name: "dramatiq on Redis",
      source: { backend: "dramatiq", url: redisUrl, prefix: namespace, queues },
      cleanup: async () => {
        await removeKeys(`${namespace}:*`);
        admin.disconnect();
      },
    },
  ];
}

/** Probes every new reader `probes` times after one warm-up probe; cleans up its stores. */
export async function measureReaderCosts(probes: number, redisUrl: string): Promise<ReaderCost[]> {
  const stores = [...(await rabbitStores()), ...(await mysqlStores()), await queueClassicStore(), ...(await redisStores(redisUrl))];
  const costs: ReaderCost[] = [];
  try {
    for (const store of stores) {
      let result = await probeQueues(store.source);
      const durations: number[] = [];
      for (let index = 0; index < probes; index += 1) {
        const started = performance.now();
        result = await probeQueues(store.source);
        durations.push(performance.now() - started);
      }
      if (result.totalDepth === 0) throw new Error(`${store.name}: the probe read no jobs; the benchmark's store is not set up right`);
      durations.sort((a, b) => a - b);
      const round = (value: number) => Math.round(value * 100) / 100;
      costs.push({
        reader: store.name,
        roundTrips: result.roundTrips ?? 0,
        ms: { p50: round(percentile(durations, 50)), p99: round(percentile(durations, 99)), max: round(durations.at(-1) ?? 0) },
      });
    }
  } finally {
    for (const store of stores) await store.cleanup();
  }
  return costs;
}
