import { z } from "zod";
import { randomHex } from "../ids";

/**
 * Sidekiq's Redis layout, as Sidekiq 7 and 8 write it:
 * - `queues` (set): names of queues that ever had a job;
 * - `queue:<name>` (list): jobs as JSON; clients LPUSH, processors BRPOP (oldest at the right);
 * - `processes` (set): identities (`<hostname>:<pid>:<nonce>`, hostname is $DYNO on Heroku);
 * - `<identity>` (hash, 60 s TTL): `info` JSON, `busy`, `beat`, `quiet`, `rss`, `rtt_us`;
 * - `<identity>:work` (hash, 60 s TTL): thread id → JSON `{queue, payload, run_at}`;
 * - `stat:processed`, `stat:processed:<yyyy-mm-dd>`: counters flushed on each heartbeat.
 * With redis-namespace every key is prefixed `<namespace>:`.
 */
export type SidekiqVersion = 7 | 8;

export function sidekiqKey(namespace: string | undefined, key: string): string {
  return namespace ? `${namespace}:${key}` : key;
}

/**
 * Sidekiq 8 stores `created_at` / `enqueued_at` as integer epoch milliseconds; 6 and 7 as
 * float epoch seconds.
 */
export function sidekiqTimestamp(epochMs: number, version: SidekiqVersion): number {
  return version >= 8 ? Math.round(epochMs) : epochMs / 1000;
}

/** Reads a job timestamp in either format back to epoch milliseconds. */
export function sidekiqTimestampToMs(value: number): number {
  // Seconds since 1970 stay below 1e11 until the year 5138; milliseconds are above it.
  return value > 1e11 ? value : value * 1000;
}

/** The job payload shape this sim writes and reads (extra keys are kept as-is). */
export const sidekiqJobSchema = z.looseObject({
  class: z.string(),
  args: z.array(z.unknown()),
  queue: z.string(),
  jid: z.string(),
  created_at: z.number().optional(),
  enqueued_at: z.number().optional(),
});

export type SidekiqJob = z.infer<typeof sidekiqJobSchema>;

/** The simulated job's run time: `args[0].duration` in seconds. */
const durationArgSchema = z.looseObject({ duration: z.number().min(0) });

export function sidekiqJobDurationSeconds(job: SidekiqJob): number | null {
  const parsed = durationArgSchema.safeParse(job.args[0]);
  return parsed.success ? parsed.data.duration : null;
}

/** A job as `Sidekiq::Client#push` writes it (jid: 12 random bytes as hex). */
export function buildSidekiqJob(input: {
  queue: string;
  className: string;
  args: unknown[];
  nowMs: number;
  version: SidekiqVersion;
}): SidekiqJob {
  const timestamp = sidekiqTimestamp(input.nowMs, input.version);
  return {
    retry: true,
    queue: input.queue,
    class: input.className,
    args: input.args,
    jid: randomHex(12),
    created_at: timestamp,
    enqueued_at: timestamp,
  };
}

/** Sidekiq's process `info` hash field (the JSON its Web UI and API read). */
export function sidekiqProcessInfo(input: {
  hostname: string;
  pid: number;
  identity: string;
  concurrency: number;
  queues: string[];
  startedAtMs: number;
  version: SidekiqVersion;
}): Record<string, unknown> {
  return {
    hostname: input.hostname,
    started_at: input.startedAtMs / 1000,
    pid: input.pid,
    tag: "",
    concurrency: input.concurrency,
    queues: [...new Set(input.queues)],
    weights: [Object.fromEntries(input.queues.map((queue) => [queue, 0]))],
    labels: [],
    identity: input.identity,
    version: input.version >= 8 ? "8.0.7" : "7.3.9",
    embedded: false,
  };
}

/** One entry of `<identity>:work`: the payload is the job JSON string exactly as fetched. */
export function sidekiqWorkEntry(queue: string, payload: string, runAtMs: number): string {
  return JSON.stringify({ queue, payload, run_at: Math.floor(runAtMs / 1000) });
}

/** Sidekiq's per-day stat keys use the UTC date. */
export function sidekiqStatDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
