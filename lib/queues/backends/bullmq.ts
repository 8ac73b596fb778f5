import type { Redis } from "ioredis";
import { boundedScan, readBatch, reply, type ReadCommand } from "@/lib/queues/redis-read";
import type { QueueProbe } from "@/lib/queues/schema";
import type { BackendReading } from "@/lib/queues/summarize";
import { ageMs } from "@/lib/queues/summarize";

/**
 * BullMQ (1.x through 5.x), under any prefix (default "bull"). Keys are
 * `<prefix>:<queue>:<type>`:
 *
 * - `wait`: list of job ids; jobs are LPUSHed and taken from the right, so the oldest is at
 *   index -1. 3.x/4.x also LPUSH a marker entry "0:<delay>" to wake workers; it sits at
 *   index 0 and is not a job.
 * - `paused`: list that replaces `wait` while the queue is paused (older versions rename
 *   `wait` to it); the `meta` hash's `paused` field is the flag in every version.
 * - `prioritized` (4.x+): sorted set by priority then insertion order.
 * - `active`: list of running jobs (busy).
 * - `delayed`: sorted set scored `timestamp * 0x1000 + counter`; delays and retries with
 *   backoff both land here, so they are counted as scheduled and retries are unknown.
 * - `<prefix>:<queue>:<id>`: the job hash; `timestamp` is when it was added (epoch ms) and
 *   `delay` how long it was held back, so it has been ready since `timestamp + delay`.
 *
 * Depth = wait + paused + prioritized. Latency is the age of the oldest of the jobs that run
 * next (wait's tail, the first prioritized, paused's tail); for prioritized jobs that is a
 * lower bound, since the oldest prioritized job may sit behind higher priorities.
 * Two round trips: the second reads the head jobs' hashes.
 */
export interface BullMqOptions {
  queues?: string[];
  prefix?: string;
  /**
   * Bull (3.x and the `bull` 4.x package, BullMQ's predecessor, read by the same code): same
   * keys, except that a paused queue is flagged by the `meta-paused` string key (4.x also
   * sets the `meta` hash's field) and prioritized jobs stay in the `wait` list, ordered by a
   * `priority` sorted set that only holds their ranks (so it is not counted). The job at
   * `wait`'s tail runs next; with priorities it may be younger than the oldest waiting job,
   * so the latency is a lower bound there, as for BullMQ's prioritized jobs.
   */
  bull?: boolean;
}

const MARKER = /^0:/;
const queueKeyTypes = ["meta", "id", "wait", "active", "delayed", "prioritized", "paused", "failed", "completed"];

export async function probeBullMq(
  client: Redis,
  options: BullMqOptions,
  nowMs: number,
  counter: { roundTrips: number },
): Promise<BackendReading> {
  const prefix = options.prefix ?? "bull";
  const warnings: string[] = [];
  let names = options.queues;
  if (!names) {
    const scan = await boundedScan(client, `${prefix}:*`, counter);
    names = discoverQueueNames(prefix, scan.keys);
    if (!scan.complete) {
      warnings.push("Queue discovery stopped at its SCAN bound; list the queue names to probe them all.");
    }
  }
  const key = (queue: string, type: string) => `${prefix}:${queue}:${type}`;
  const perQueue = options.bull ? 12 : 11;
  const due = Math.floor(nowMs) * 0x1000 + 0xfff;
  const commands = names.flatMap((queue): ReadCommand[] => [
    ["llen", key(queue, "wait")],
    ["llen", key(queue, "paused")],
    ["zcard", key(queue, "prioritized")],
    ["llen", key(queue, "active")],
    ["zcard", key(queue, "delayed")],
    ["zcount", key(queue, "delayed"), "-inf", due],
    ["hget", key(queue, "meta"), "paused"],
    ["lindex", key(queue, "wait"), -1],
    ["lindex", key(queue, "wait"), 0],
    ["zrange", key(queue, "prioritized"), 0, 0],
    ["lindex", key(queue, "paused"), -1],
    ...(options.bull ? [["get", key(queue, "meta-paused")] as ReadCommand] : []),
  ]);
  const replies = await readBatch(client, commands, counter);

  const heads: { queue: number; id: string }[] = [];
  const partial = names.map((queue, index) => {
    const at = (offset: number) => replies[index * perQueue + offset];
    const wait = reply.count(at(0), key(queue, "wait"));
    const paused = reply.count(at(1), key(queue, "paused"));
    const prioritized = reply.count(at(2), key(queue, "prioritized"));
    const oldestWaiting = reply.string(at(7), key(queue, "wait"));
    const newestWaiting = reply.string(at(8), key(queue, "wait"));
    const firstPrioritized = reply.strings(at(9), key(queue, "prioritized"))[0];
    const oldestPaused = reply.string(at(10), key(queue, "paused"));
    const marker = newestWaiting !== null && MARKER.test(newestWaiting) ? 1 : 0;
    for (const id of [oldestWaiting, firstPrioritized, oldestPaused]) {
      if (id && !MARKER.test(id)) heads.push({ queue: index, id });
    }
    const probe: QueueProbe = {
      name: queue,
      depth: Math.max(0, wait - marker) + paused + prioritized,
      latencyMs: null,
      busy: reply.count(at(3), key(queue, "active")),
      scheduled: reply.count(at(4), key(queue, "delayed")),
      retries: null,
    };
    const pausedFlag = reply.string(at(6), key(queue, "meta"));
    const legacyPausedFlag = options.bull ? reply.string(at(11), key(queue, "meta-paused")) : null;
    if (pausedFlag !== null || legacyPausedFlag !== null || paused > 0) probe.paused = true;
    return { probe, due: reply.count(at(5), key(queue, "delayed")) };
  });

  const second = heads.map(({ queue, id }): ReadCommand => ["hmget", key(names[queue] ?? "", id), "timestamp", "delay"]);
  const secondReplies = await readBatch(client, second, counter);
  const readyAt = new Map<number, number>();
  const unparseable = new Set<number>();
  heads.forEach(({ queue, id }, index) => {
    const jobKey = key(names[queue] ?? "", id);
    const [timestamp, delay] = reply.optionalStrings(secondReplies[index], jobKey);
    // A job removed between the two trips has nothing to say about latency.
    if (timestamp === null || timestamp === undefined) return;
    const addedAt = Number(timestamp);
    if (!Number.isFinite(addedAt) || addedAt <= 0) {
      unparseable.add(queue);
      return;
    }
    const at = addedAt + (Number(delay) > 0 ? Number(delay) : 0);
    readyAt.set(queue, Math.min(readyAt.get(queue) ?? Number.POSITIVE_INFINITY, at));
  });

  let dueTotal = 0;
  const queues = partial.map(({ probe, due: queueDue }, index) => {
    dueTotal += queueDue;
    const at = readyAt.get(index);
    if (unparseable.has(index) && at === undefined) {
      return { ...probe, error: `a waiting job's timestamp in ${probe.name} is not a number; latency unknown` };
    }
    return at === undefined ? probe : { ...probe, latencyMs: ageMs(nowMs, at) };
  });
  return { queues, due: dueTotal, retries: null, roundTrips: counter.roundTrips, warnings };
}

/** Queue names from keys `<prefix>:<queue>:<type>`, for the key types every queue has. */
export function discoverQueueNames(prefix: string, keys: string[]): string[] {
  const names = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(`${prefix}:`)) continue;
    const rest = key.slice(prefix.length + 1);
    const cut = rest.lastIndexOf(":");
    if (cut <= 0) continue;
    if (queueKeyTypes.includes(rest.slice(cut + 1))) names.add(rest.slice(0, cut));
  }
  return [...names].sort();
}
