import type { Redis } from "ioredis";
import { z } from "zod";
import { boundedScan, readBatch, reply, type ReadCommand } from "@/lib/queues/redis-read";
import type { QueueProbe } from "@/lib/queues/schema";
import { ageMs, type BackendReading } from "@/lib/queues/summarize";

/**
 * Dramatiq's Redis broker (1.x), under its namespace (default "dramatiq"):
 *
 * - `<ns>:<queue>`: a list of message ids; enqueue RPUSHes, fetch LPOPs, so the oldest is at
 *   index 0. `<ns>:<queue>.msgs`: a hash of id → message JSON (`message_timestamp` in ms,
 *   `options.eta` in ms for a message that was delayed).
 * - `<ns>:<queue>.DQ` (and `.DQ.msgs`): the delay queue. Delayed messages and retries (the
 *   Retries middleware re-enqueues a failed message with a backoff delay) both wait there:
 *   scheduled, retries unknown. A worker takes them early and holds them until their eta.
 * - `<ns>:__acks__.<worker id>.<queue>`: sets of ids a worker fetched and has not acked:
 *   running, prefetched, or (for `.DQ`) held until their eta. `<ns>:__heartbeats__`: worker
 *   ids scored by their last heartbeat (ms).
 *
 * Depth = the queue list, plus messages held by workers whose heartbeat is older than
 * Dramatiq's 60 s timeout (a live worker's maintenance puts them back on the queue).
 * Busy = live workers' unacked messages of the queue; their held `.DQ` messages count as
 * scheduled. Latency = age of the head message's `options.eta` (when it was delayed) or
 * `message_timestamp`. Two round trips, plus discovery (SCAN for `*.msgs`) without names.
 */
export interface DramatiqOptions {
  queues?: string[];
  prefix?: string;
}

/** Dramatiq's default heartbeat_timeout: a worker silent this long is dead. */
const HEARTBEAT_TIMEOUT_MS = 60_000;

const messageSchema = z.object({
  message_timestamp: z.number(),
  options: z.object({ eta: z.number().optional() }).optional(),
});

export async function probeDramatiq(
  client: Redis,
  options: DramatiqOptions,
  nowMs: number,
  counter: { roundTrips: number },
): Promise<BackendReading> {
  const namespace = options.prefix ?? "dramatiq";
  const warnings: string[] = [];
  let names = options.queues;
  if (!names) {
    const scan = await boundedScan(client, `${namespace}:*.msgs`, counter);
    if (!scan.complete) warnings.push("Queue discovery stopped at its SCAN bound; list the queue names to probe them all.");
    names = discoverDramatiqQueues(namespace, scan.keys);
  }
  const key = (queue: string) => `${namespace}:${queue}`;
  const heartbeats = `${namespace}:__heartbeats__`;
  const first = await readBatch(
    client,
    [
      ["zrange", heartbeats, 0, -1, "WITHSCORES"],
      ...names.flatMap((queue): ReadCommand[] => [
        ["llen", key(queue)],
        ["lindex", key(queue), 0],
        ["llen", `${key(queue)}.DQ`],
      ]),
    ],
    counter,
  );
  const beats = reply.strings(first[0], heartbeats);
  const workers: { id: string; alive: boolean }[] = [];
  for (let index = 0; index + 1 < beats.length; index += 2) {
    workers.push({ id: beats[index] ?? "", alive: Number(beats[index + 1]) >= nowMs - HEARTBEAT_TIMEOUT_MS });
  }
  const heads = names.map((queue, index) => reply.string(first[1 + index * 3 + 1], key(queue)));

  const second: ReadCommand[] = names.flatMap((queue, index): ReadCommand[] => [
    ["hget", `${key(queue)}.msgs`, heads[index] ?? ""],
    ...workers.flatMap((worker): ReadCommand[] => [
      ["scard", `${namespace}:__acks__.${worker.id}.${queue}`],
      ["scard", `${namespace}:__acks__.${worker.id}.${queue}.DQ`],
    ]),
  ]);
  const replies = await readBatch(client, second, counter);
  const perQueue = 1 + workers.length * 2;

  const queues = names.map((queue, index): QueueProbe => {
    const at = (offset: number) => replies[index * perQueue + offset];
    let busy = 0;
    let orphaned = 0;
    let held = 0;
    workers.forEach((worker, position) => {
      const unacked = reply.count(at(1 + position * 2), `${namespace}:__acks__.${worker.id}.${queue}`);
      const heldDelayed = reply.count(at(2 + position * 2), `${namespace}:__acks__.${worker.id}.${queue}.DQ`);
      if (worker.alive) {
        busy += unacked;
        held += heldDelayed;
      } else {
        orphaned += unacked;
        held += heldDelayed;
      }
    });
    const listed = reply.count(first[1 + index * 3], key(queue));
    const delayed = reply.count(first[1 + index * 3 + 2], `${key(queue)}.DQ`);
    const probe: QueueProbe = { name: queue, depth: listed + orphaned, latencyMs: null, busy, scheduled: delayed + held, retries: null };
    const raw = heads[index] ? reply.string(at(0), `${key(queue)}.msgs`) : null;
    if (raw !== null) {
      const readyAt = readyAtMs(raw);
      if (readyAt === null) return { ...probe, error: `the oldest message in ${queue} is not Dramatiq's JSON; latency unknown` };
      probe.latencyMs = ageMs(nowMs, readyAt);
    }
    return probe;
  });
  return { queues, retries: null, due: 0, roundTrips: counter.roundTrips, warnings };
}

function readyAtMs(raw: string): number | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) return null;
  return parsed.data.options?.eta ?? parsed.data.message_timestamp;
}

/** Queue names from `<ns>:<queue>.msgs` keys, leaving out delay (.DQ) and dead-letter (.XQ) queues. */
export function discoverDramatiqQueues(namespace: string, keys: string[]): string[] {
  const names = new Set<string>();
  for (const found of keys) {
    if (!found.startsWith(`${namespace}:`) || !found.endsWith(".msgs")) continue;
    const queue = found.slice(namespace.length + 1, -".msgs".length);
    if (!queue || queue.endsWith(".DQ") || queue.endsWith(".XQ") || queue.startsWith("__")) continue;
    names.add(queue);
  }
  return [...names].sort();
}
