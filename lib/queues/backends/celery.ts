import type { Redis } from "ioredis";
import { boundedScan, readBatch, reply, type ReadCommand } from "@/lib/queues/redis-read";
import type { QueueProbe } from "@/lib/queues/schema";
import type { BackendReading } from "@/lib/queues/summarize";

/**
 * Celery on a Redis broker, through kombu's Redis transport (kombu 4.x and 5.x).
 *
 * - A queue is a list named after the queue (plus kombu's `global_keyprefix`, default none).
 *   kombu LPUSHes and BRPOPs.
 * - Priorities: kombu rounds a message's priority down to one of the steps 0, 3, 6, 9 and
 *   keeps each step in its own list: priority 0 in `<queue>`, the others in
 *   `<queue>\x06\x16<step>` (the separator is kombu's `sep`, "\x06\x16"). Depth sums the
 *   four lists.
 * - `_kombu.binding.<exchange>`: a set of `<routing key>\x06\x16<pattern>\x06\x16<queue>`
 *   entries, one per binding; discovery reads the queue names from them, leaving out the
 *   control (`*.pidbox`) and event (`celeryev`) exchanges.
 *
 * What cannot be known: a Celery message carries no enqueue time (latency null); messages a
 * worker has taken sit in kombu's `unacked` hash whether they run, wait in the worker's
 * prefetch buffer or wait for their ETA (busy null); ETA/countdown tasks stay in the queue
 * list until a worker takes them, so they are counted in depth, not as scheduled.
 */
export interface CeleryOptions {
  queues?: string[];
  prefix?: string;
}

export const KOMBU_SEPARATOR = "\x06\x16";
export const KOMBU_PRIORITY_STEPS = [0, 3, 6, 9] as const;

export function kombuQueueKeys(queue: string, prefix = ""): string[] {
  return KOMBU_PRIORITY_STEPS.map((step) => (step === 0 ? `${prefix}${queue}` : `${prefix}${queue}${KOMBU_SEPARATOR}${step}`));
}

export async function probeCelery(
  client: Redis,
  options: CeleryOptions,
  counter: { roundTrips: number },
): Promise<BackendReading> {
  const prefix = options.prefix ?? "";
  const warnings: string[] = [];
  let names = options.queues;
  if (!names) {
    names = await discoverCeleryQueues(client, prefix, counter, warnings);
  }
  const commands = names.flatMap((queue) => kombuQueueKeys(queue, prefix).map((key): ReadCommand => ["llen", key]));
  const replies = await readBatch(client, commands, counter);
  const steps = KOMBU_PRIORITY_STEPS.length;
  const queues: QueueProbe[] = names.map((name, index) => {
    const keys = kombuQueueKeys(name, prefix);
    const depth = keys.reduce((sum, key, step) => sum + reply.count(replies[index * steps + step], key), 0);
    return { name, depth, latencyMs: null, busy: null, scheduled: null, retries: null };
  });
  return { queues, busy: null, scheduled: null, retries: null, due: null, roundTrips: counter.roundTrips, warnings };
}

async function discoverCeleryQueues(
  client: Redis,
  prefix: string,
  counter: { roundTrips: number },
  warnings: string[],
): Promise<string[]> {
  const bindingPrefix = `${prefix}_kombu.binding.`;
  const scan = await boundedScan(client, `${bindingPrefix}*`, counter);
  if (!scan.complete) warnings.push("Queue discovery stopped at its SCAN bound; list the queue names to probe them all.");
  const tables = scan.keys.filter((key) => {
    const exchange = key.slice(bindingPrefix.length);
    return !exchange.endsWith(".pidbox") && exchange !== "celeryev" && !exchange.endsWith(".reply.celery.pidbox");
  });
  const members = await readBatch(client, tables.map((key): ReadCommand => ["smembers", key]), counter);
  const names = new Set<string>();
  tables.forEach((key, index) => {
    for (const entry of reply.strings(members[index], key)) {
      const queue = entry.split(KOMBU_SEPARATOR)[2];
      if (queue && !queue.startsWith("celeryev.")) names.add(queue);
    }
  });
  return [...names].sort();
}
