import type { Redis } from "ioredis";
import { readBatch, reply, type ReadCommand } from "@/lib/queues/redis-read";
import type { QueueProbe } from "@/lib/queues/schema";
import type { BackendReading } from "@/lib/queues/summarize";
import { ageMs } from "@/lib/queues/summarize";
import { rqTimestampMs } from "@/lib/queues/timestamps";

/**
 * RQ (Python; 1.x and 2.x).
 *
 * - `rq:queue:<name>`: a list of job ids; RQ RPUSHes and LPOPs, so the oldest is at index 0.
 * - `rq:queues`: the set of queue keys (`rq:queue:<name>`).
 * - `rq:job:<id>`: a hash whose `enqueued_at` is `%Y-%m-%dT%H:%M:%S.%fZ` (UTC).
 * - `rq:wip:<name>`: StartedJobRegistry, a sorted set scored by when the entry expires
 *   (members are `<id>` or, in 2.x, `<id>:<execution id>`). Entries past their expiry belong
 *   to dead workers and are not counted as busy.
 * - `rq:scheduled:<name>`: ScheduledJobRegistry, scored by the epoch second the job is due.
 *   Retries with an interval are scheduled there too and cannot be told apart: retries null.
 *
 * Two round trips: the second reads `enqueued_at` of each queue's oldest job.
 */
export interface RqOptions {
  queues?: string[];
  prefix?: string;
}

export async function probeRq(
  client: Redis,
  options: RqOptions,
  nowMs: number,
  counter: { roundTrips: number },
): Promise<BackendReading> {
  const ns = options.prefix ?? "rq";
  const queuePrefix = `${ns}:queue:`;
  let names = options.queues;
  if (!names) {
    const [members] = await readBatch(client, [["smembers", `${ns}:queues`]], counter);
    names = reply
      .strings(members, `${ns}:queues`)
      .filter((key) => key.startsWith(queuePrefix))
      .map((key) => key.slice(queuePrefix.length))
      .sort();
  }
  const nowSeconds = nowMs / 1000;
  const perQueue = 5;
  const commands = names.flatMap((name): ReadCommand[] => [
    ["llen", `${queuePrefix}${name}`],
    ["lindex", `${queuePrefix}${name}`, 0],
    ["zcount", `${ns}:wip:${name}`, nowSeconds, "+inf"],
    ["zcard", `${ns}:scheduled:${name}`],
    ["zcount", `${ns}:scheduled:${name}`, "-inf", nowSeconds],
  ]);
  const replies = await readBatch(client, commands, counter);
  const heads = names.map((name, index) => reply.string(replies[index * perQueue + 1], `${queuePrefix}${name}`));
  const headIndexes = heads.flatMap((id, index) => (id === null ? [] : [index]));
  const enqueuedAt = await readBatch(
    client,
    headIndexes.map((index): ReadCommand => ["hget", `${ns}:job:${heads[index]}`, "enqueued_at"]),
    counter,
  );

  let due = 0;
  const queues: QueueProbe[] = names.map((name, index) => {
    const base = index * perQueue;
    const scheduledKey = `${ns}:scheduled:${name}`;
    due += reply.count(replies[base + 4], scheduledKey);
    const probe: QueueProbe = {
      name,
      depth: reply.count(replies[base], `${queuePrefix}${name}`),
      latencyMs: null,
      busy: reply.count(replies[base + 2], `${ns}:wip:${name}`),
      scheduled: reply.count(replies[base + 3], scheduledKey),
      retries: null,
    };
    const headAt = headIndexes.indexOf(index);
    if (headAt === -1) return probe;
    const jobKey = `${ns}:job:${heads[index]}`;
    const raw = reply.string(enqueuedAt[headAt], jobKey);
    // The job hash can expire or be deleted while its id is still queued; RQ skips such ids.
    if (raw === null) return probe;
    const ms = rqTimestampMs(raw);
    if (ms === null) return { ...probe, error: `enqueued_at of ${jobKey} is not an RQ timestamp; latency unknown` };
    return { ...probe, latencyMs: ageMs(nowMs, ms) };
  });

  return { queues, due, retries: null, roundTrips: counter.roundTrips };
}
