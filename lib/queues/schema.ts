import { z } from "zod";
import { plainName } from "@/lib/queues/bounded";
import { parsePostgresUrl, parseRedisUrl } from "@/lib/queues/store-url";

/**
 * The shapes at the edges of the probes: what a customer configures (a queue source) and what
 * a probe answers (a probe result). Both are zod schemas because both cross a boundary: the
 * source comes from the dashboard and the database, the result goes into the scheduler, the
 * dashboard's "test connection", the CLI and the pull/push paths.
 */

export const redisBackends = ["sidekiq", "resque", "bullmq", "celery", "rq", "bull", "dramatiq"] as const;
export const postgresBackends = ["delayed_job", "good_job", "que", "solid_queue", "queue_classic"] as const;
export const amqpBackends = ["amqp"] as const;
export const httpBackends = ["http"] as const;
export const backends = [...redisBackends, ...postgresBackends, ...amqpBackends, ...httpBackends] as const;

export type RedisBackend = (typeof redisBackends)[number];
export type PostgresBackend = (typeof postgresBackends)[number];
export type Backend = (typeof backends)[number];

/** Backends that also read MySQL/MariaDB (JawsDB, ClearDB): the same tables, other SQL. */
export const mysqlBackends = ["delayed_job", "solid_queue"] as const;
export type MysqlBackend = (typeof mysqlBackends)[number];

/** Backends read over AMQP (RabbitMQ): Celery's most common broker, and any AMQP worker. */
export const rabbitBackends = ["celery", "amqp"] as const;
export type RabbitBackend = (typeof rabbitBackends)[number];

export function isRedisBackend(backend: Backend): backend is RedisBackend {
  return (redisBackends as readonly string[]).includes(backend);
}

export function isPostgresBackend(backend: Backend): backend is PostgresBackend {
  return (postgresBackends as readonly string[]).includes(backend);
}

export function isMysqlBackend(backend: Backend): backend is MysqlBackend {
  return (mysqlBackends as readonly string[]).includes(backend);
}

export function isRabbitBackend(backend: Backend): backend is RabbitBackend {
  return (rabbitBackends as readonly string[]).includes(backend);
}

/** The lower-case scheme of a URL ("redis", "amqps", ...), or undefined. */
export function urlScheme(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
}

export const amqpSchemes = ["amqp", "amqps"];
export const mysqlSchemes = ["mysql", "mysql2"];

/** The URL schemes a backend's store may be reached with. */
export function schemesFor(backend: Backend): string[] {
  const schemes: string[] = [];
  if (isRedisBackend(backend)) schemes.push("redis", "rediss");
  if (isPostgresBackend(backend)) schemes.push("postgres", "postgresql");
  if (isMysqlBackend(backend)) schemes.push(...mysqlSchemes);
  if (isRabbitBackend(backend)) schemes.push(...amqpSchemes);
  if (backend === "http") schemes.push("http", "https");
  return schemes;
}

/** At most this many queues a probe reads; more is a configuration mistake, not a workload. */
export const MAX_QUEUES = 200;

const queueName = plainName(256);

/** How an app's HTTP endpoint answers: HireFire's list of dynos, or Ebbflow's probe result. */
export const httpSourceOptionsSchema = z.object({
  format: z.enum(["hirefire", "ebbflow"]).default("hirefire"),
  /**
   * HireFire's JSON carries one number per process type and does not say what it is: the
   * macro the app configured decides. `depth` = job_queue_size, `latency` = job_queue_latency
   * (seconds).
   */
  hirefireMetric: z.enum(["depth", "latency"]).default("depth"),
  /** Which entry of a HireFire list to read; defaults to "worker". */
  processType: plainName(63).default("worker"),
  /** Sent as the `HireFire-Token` header, as HireFire's own poller does. */
  token: z.string().min(1).max(512).optional(),
});

export type HttpSourceOptions = z.infer<typeof httpSourceOptionsSchema>;

export const queueSourceSchema = z
  .object({
    backend: z.enum(backends),
    url: z.string().min(1, "is required").max(4096),
    /** Queue names to read; when absent the probe discovers them (bounded). */
    queues: z.array(queueName).min(1).max(MAX_QUEUES).optional(),
    /** Sidekiq: the redis-namespace prefix, e.g. "myapp" for keys like "myapp:queue:default". */
    namespace: plainName(256).optional(),
    /**
     * Key prefix: BullMQ's and Bull's `prefix` option (default "bull"), Resque's namespace
     * (default "resque"), RQ has none, Celery's `global_keyprefix` (default none),
     * Dramatiq's namespace (default "dramatiq").
     */
    prefix: plainName(256).optional(),
    http: httpSourceOptionsSchema.optional(),
    /**
     * RabbitMQ: the management API's base URL (https://host or http://host:15672; CloudAMQP
     * serves it on 443), for unacknowledged messages and the oldest message's age. Without
     * it the probe reads ready messages and consumers only.
     */
    managementUrl: z.string().min(1).max(4096).optional(),
  })
  .superRefine((source, ctx) => {
    const scheme = urlScheme(source.url);
    const expected = schemesFor(source.backend);
    if (source.managementUrl !== undefined) {
      const managementScheme = urlScheme(source.managementUrl);
      if (!isRabbitBackend(source.backend) || !amqpSchemes.includes(scheme ?? "")) {
        ctx.addIssue({ code: "custom", path: ["managementUrl"], message: "only applies to an amqp:// or amqps:// source" });
      } else if (managementScheme !== "http" && managementScheme !== "https") {
        ctx.addIssue({ code: "custom", path: ["managementUrl"], message: "must be an https:// (or http://) URL" });
      }
    }
    if (!scheme || !expected.includes(scheme)) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: `must be a ${expected.map((s) => `${s}://`).join(" or ")} URL for ${source.backend}`,
      });
    } else if (!storeUrlParses(source.backend, source.url)) {
      // Said without echoing the URL: it usually holds a password.
      ctx.addIssue({ code: "custom", path: ["url"], message: "is not a valid URL (check the host, the port and any %-escapes in the password)" });
    }
    if (source.namespace && source.backend !== "sidekiq") {
      ctx.addIssue({ code: "custom", path: ["namespace"], message: "only applies to sidekiq (use prefix)" });
    }
  });

export type QueueSource = z.infer<typeof queueSourceSchema>;

/** Read by the parser of the URL's own scheme: Celery may be on Redis or RabbitMQ, Delayed Job on Postgres or MySQL. */
function storeUrlParses(backend: Backend, url: string): boolean {
  const scheme = urlScheme(url) ?? "";
  if (isRedisBackend(backend) && (scheme === "redis" || scheme === "rediss")) return parseRedisUrl(url) !== null;
  if (isPostgresBackend(backend) && (scheme === "postgres" || scheme === "postgresql")) return parsePostgresUrl(url) !== null;
  return URL.canParse(url);
}
export type QueueSourceInput = z.input<typeof queueSourceSchema>;

/** A count that may be unknown: null means "this backend does not record it", never 0. */
const knownCount = z.number().int().min(0).nullable();

export const queueProbeSchema = z.object({
  name: z.string(),
  /** Jobs ready to run now (not scheduled, not retrying, not running). */
  depth: z.number().int().min(0),
  /** Age of the oldest ready job in ms; null when the format carries no time or nothing waits. */
  latencyMs: z.number().min(0).nullable(),
  /** Jobs running now; null where the backend does not record it per queue. */
  busy: knownCount,
  scheduled: knownCount.optional(),
  retries: knownCount.optional(),
  /** The queue is paused in the job library itself: its jobs will not run whatever the dynos. */
  paused: z.boolean().optional(),
  /** Part of this queue could not be read (e.g. the oldest job is not valid JSON). */
  error: z.string().optional(),
});

export type QueueProbe = z.infer<typeof queueProbeSchema>;

export const probeResultSchema = z.object({
  backend: z.union([z.enum(backends), z.literal("push")]),
  queues: z.array(queueProbeSchema),
  totalDepth: z.number().int().min(0),
  maxLatencyMs: z.number().min(0).nullable(),
  busy: knownCount,
  /** Jobs waiting for a future time (including retries where the backend can't tell them apart). */
  scheduled: knownCount,
  /** Jobs waiting to be retried after a failure. */
  retries: knownCount,
  /**
   * Scheduled or retry jobs whose time has come but that no process has moved onto a queue
   * yet. With zero worker dynos nothing moves them, so they are work the app is waiting on.
   */
  due: knownCount,
  /**
   * By process type, the highest-numbered dyno running a job (Sidekiq names its processes by
   * dyno); absent when the backend cannot tell. A type with no entry has no busy dyno.
   */
  busyDynos: z.record(z.string(), z.number().int().min(0)).optional(),
  probedAt: z.string(),
  durationMs: z.number().min(0),
  /** Requests sent to the store (a pipeline or a transaction counts once). */
  roundTrips: z.number().int().min(0).optional(),
  /** Things the probe could not fully see, in words (e.g. discovery stopped at its bound). */
  warnings: z.array(z.string()).default([]),
});

export type ProbeResult = z.infer<typeof probeResultSchema>;
