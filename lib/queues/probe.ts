import { probeBullMq } from "@/lib/queues/backends/bullmq";
import { probeCelery } from "@/lib/queues/backends/celery";
import { probeDelayedJob } from "@/lib/queues/backends/delayed-job";
import { probeGoodJob } from "@/lib/queues/backends/good-job";
import { probeQue } from "@/lib/queues/backends/que";
import { probeResque } from "@/lib/queues/backends/resque";
import { probeRq } from "@/lib/queues/backends/rq";
import { probeSidekiq } from "@/lib/queues/backends/sidekiq";
import { probeSolidQueue } from "@/lib/queues/backends/solid-queue";
import { probeRabbitMq } from "@/lib/queues/backends/rabbitmq";
import { probeQueueClassic } from "@/lib/queues/backends/queue-classic";
import { probeDramatiq } from "@/lib/queues/backends/dramatiq";
import { probeDelayedJobMysql } from "@/lib/queues/backends/delayed-job-mysql";
import { probeSolidQueueMysql } from "@/lib/queues/backends/solid-queue-mysql";
import { closeMysqlProbePool, withMysqlReadOnlyTransaction } from "@/lib/queues/mysql-pool";
import { closeAmqpProbePool, withAmqp } from "@/lib/queues/amqp-pool";
import { ProbeError } from "@/lib/queues/errors";
import { closePgProbePool, withReadOnlyTransaction } from "@/lib/queues/pg-pool";
import { probeHttp } from "@/lib/queues/pull/probe-http";
import { closeRedisProbePool, withRedis } from "@/lib/queues/redis-pool";
import {
  amqpSchemes,
  isMysqlBackend,
  isPostgresBackend,
  isRabbitBackend,
  isRedisBackend,
  queueSourceSchema,
  type PostgresBackend,
  type ProbeResult,
  type QueueSource,
  type QueueSourceInput,
  mysqlSchemes,
  type MysqlBackend,
  type RedisBackend,
  urlScheme,
} from "@/lib/queues/schema";
import { summarize, type BackendReading } from "@/lib/queues/summarize";
import type { Redis } from "ioredis";
import type { ReadOnlySession } from "@/lib/queues/pg-pool";

export interface ProbeOptions {
  /** The clock, for tests; defaults to Date.now. */
  now?: () => number;
}

/**
 * Reads a tenant's queues once: validates the source, reads the store the way its job
 * library writes it (read-only, bounded, pooled connection, 2 s timeouts; 5 s for a pull)
 * and answers depth, latency and busy per queue plus the totals. Throws a ProbeError whose
 * `kind` and message say what to fix; never guesses a number it could not read.
 *
 * Used by the scheduler's checks and the dashboard's "test connection".
 */
export async function probeQueues(input: QueueSourceInput, options: ProbeOptions = {}): Promise<ProbeResult> {
  const source = parseSource(input);
  const now = options.now ?? Date.now;
  const startedAtMs = now();
  const reading = await readSource(source, startedAtMs);
  return summarize(source.backend, reading, startedAtMs, now());
}

/** Validates a queue source from anywhere (a form, a database row, the CLI). */
export function parseSource(input: unknown): QueueSource {
  const parsed = queueSourceSchema.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
      .join("; ");
    throw new ProbeError("invalid_config", `The queue source is not valid: ${detail}.`);
  }
  return parsed.data;
}

async function readSource(source: QueueSource, nowMs: number): Promise<BackendReading> {
  const backend = source.backend;
  const scheme = urlScheme(source.url) ?? "";
  if (isRabbitBackend(backend) && amqpSchemes.includes(scheme)) {
    const options = { url: source.url, queues: source.queues, managementUrl: source.managementUrl, celery: backend === "celery" };
    return withAmqp(source.url, ({ resource }) => probeRabbitMq(resource, options, nowMs));
  }
  if (isMysqlBackend(backend) && mysqlSchemes.includes(scheme)) {
    return withMysqlReadOnlyTransaction(source.url, (session) => readMysql(backend, session, source));
  }
  if (isRedisBackend(backend)) {
    return withRedis(source.url, ({ resource, memo }) => readRedis(backend, resource, memo, source, nowMs));
  }
  if (isPostgresBackend(backend)) {
    return withReadOnlyTransaction(source.url, (session) => readPostgres(backend, session, source));
  }
  if (backend !== "http") {
    // parseSource admits only each backend's schemes, so this is a missing case, not input.
    throw new ProbeError("invalid_config", `No reader for ${backend} at a ${scheme}:// URL.`);
  }
  return probeHttp(source.url, source.http ?? {});
}

function readRedis(
  backend: RedisBackend,
  client: Redis,
  memo: Map<string, unknown>,
  source: QueueSource,
  nowMs: number,
): Promise<BackendReading> {
  const counter = { roundTrips: 0 };
  switch (backend) {
    case "sidekiq":
      return probeSidekiq(client, memo, { queues: source.queues, namespace: source.namespace }, nowMs, counter);
    case "resque":
      return probeResque(client, memo, { queues: source.queues, prefix: source.prefix }, nowMs, counter);
    case "bullmq":
      return probeBullMq(client, { queues: source.queues, prefix: source.prefix }, nowMs, counter);
    case "bull":
      return probeBullMq(client, { queues: source.queues, prefix: source.prefix, bull: true }, nowMs, counter);
    case "celery":
      return probeCelery(client, { queues: source.queues, prefix: source.prefix }, counter);
    case "rq":
      return probeRq(client, { queues: source.queues, prefix: source.prefix }, nowMs, counter);
    case "dramatiq":
      return probeDramatiq(client, { queues: source.queues, prefix: source.prefix }, nowMs, counter);
  }
}

function readPostgres(backend: PostgresBackend, session: ReadOnlySession, source: QueueSource): Promise<BackendReading> {
  switch (backend) {
    case "delayed_job":
      return probeDelayedJob(session, source.queues);
    case "good_job":
      return probeGoodJob(session, source.queues);
    case "que":
      return probeQue(session, source.queues);
    case "solid_queue":
      return probeSolidQueue(session, source.queues);
    case "queue_classic":
      return probeQueueClassic(session, source.queues);
  }
}

function readMysql(backend: MysqlBackend, session: ReadOnlySession, source: QueueSource): Promise<BackendReading> {
  switch (backend) {
    case "delayed_job":
      return probeDelayedJobMysql(session, source.queues);
    case "solid_queue":
      return probeSolidQueueMysql(session, source.queues);
  }
}

/** Closes every pooled probe connection (process shutdown, tests, the CLI). */
export async function closeProbeConnections(): Promise<void> {
  await Promise.all([closeRedisProbePool(), closePgProbePool(), closeAmqpProbePool(), closeMysqlProbePool()]);
}
