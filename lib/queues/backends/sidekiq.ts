import type { Redis } from "ioredis";
import { z } from "zod";
import type { BackendReading } from "@/lib/queues/summarize";
import { ageMs } from "@/lib/queues/summarize";
import { readBatch, reply, type ReadCommand } from "@/lib/queues/redis-read";
import type { QueueProbe } from "@/lib/queues/schema";
import { sidekiqEnqueuedAtMs } from "@/lib/queues/timestamps";
import { parseJsonAs } from "@/lib/queues/json";

/**
 * Sidekiq (6, 7 and 8), optionally under a redis-namespace prefix ("ns:" before every key).
 *
 * - `queue:<name>`: a list; the client LPUSHes, the fetcher BRPOPs, so the oldest job is at
 *   index -1. Depth = LLEN, latency from that job's `enqueued_at`.
 * - `queues`: the set of queue names (discovery).
 * - `schedule`, `retry`: sorted sets scored by the time (float epoch seconds) the job is due.
 * - `processes`: the set of process identities; each `<identity>` hash has a `busy` field
 *   (written every heartbeat) and `<identity>:work` (Sidekiq 7+; `:workers` in 6) holds one
 *   JSON entry per running job with its `queue`.
 *
 * One round trip when queue names are given and the process list is unchanged since the last
 * probe on this connection; the process list is remembered so that the busy counts can ride
 * in the same pipeline as everything else.
 */
export interface SidekiqOptions {
  queues?: string[];
  namespace?: string;
}

const workEntry = z.object({ queue: z.string() });

export async function probeSidekiq(
  client: Redis,
  memo: Map<string, unknown>,
  options: SidekiqOptions,
  nowMs: number,
  counter: { roundTrips: number },
): Promise<BackendReading> {
  const key = (name: string) => (options.namespace ? `${options.namespace}:${name}` : name);
  const memoKey = `sidekiq:${options.namespace ?? ""}:processes`;
  const rememberedProcesses = z.array(z.string()).catch([]).parse(memo.get(memoKey) ?? []);
  const nowSeconds = nowMs / 1000;

  const processCommands = (identities: string[]): ReadCommand[] =>
    identities.flatMap((identity): ReadCommand[] => [
      ["hget", key(identity), "busy"],
      ["hgetall", key(`${identity}:work`)],
      ["hgetall", key(`${identity}:workers`)],
    ]);
  const queueCommands = (names: string[]): ReadCommand[] =>
    names.flatMap((name): ReadCommand[] => [
      ["llen", key(`queue:${name}`)],
      ["lindex", key(`queue:${name}`), -1],
    ]);

  const first: ReadCommand[] = [
    ["zcard", key("schedule")],
    ["zcard", key("retry")],
    ["zcount", key("schedule"), "-inf", nowSeconds],
    ["zcount", key("retry"), "-inf", nowSeconds],
    ["smembers", key("processes")],
    ...(options.queues ? [] : ([["smembers", key("queues")]] as ReadCommand[])),
    ...processCommands(rememberedProcesses),
    ...(options.queues ? queueCommands(options.queues) : []),
  ];
  const firstReplies = await readBatch(client, first, counter);
  const scheduled = reply.count(firstReplies[0], key("schedule"));
  const retries = reply.count(firstReplies[1], key("retry"));
  const due = reply.count(firstReplies[2], key("schedule")) + reply.count(firstReplies[3], key("retry"));
  const processes = reply.strings(firstReplies[4], key("processes"));
  let offset = 5;
  const names = options.queues ?? reply.strings(firstReplies[offset++], key("queues")).sort();

  const processReplies = new Map<string, unknown[]>();
  for (const identity of rememberedProcesses) {
    processReplies.set(identity, firstReplies.slice(offset, offset + 3));
    offset += 3;
  }
  let queueReplies = options.queues ? firstReplies.slice(offset) : [];

  const newProcesses = processes.filter((identity) => !processReplies.has(identity));
  const second: ReadCommand[] = [...processCommands(newProcesses), ...(options.queues ? [] : queueCommands(names))];
  if (second.length) {
    const secondReplies = await readBatch(client, second, counter);
    newProcesses.forEach((identity, index) => processReplies.set(identity, secondReplies.slice(index * 3, index * 3 + 3)));
    if (!options.queues) queueReplies = secondReplies.slice(newProcesses.length * 3);
  }
  memo.set(memoKey, processes);

  const warnings: string[] = [];
  let busy = 0;
  const busyByQueue = new Map<string, number>();
  const busyDynos: Record<string, number> = {};
  for (const identity of processes) {
    const [busyField, work, legacyWork] = processReplies.get(identity) ?? [];
    const processBusy = Number(reply.string(busyField, key(identity)) ?? 0) || 0;
    busy += processBusy;
    const entries = { ...reply.hash(legacyWork ?? {}, key(`${identity}:workers`)), ...reply.hash(work ?? {}, key(`${identity}:work`)) };
    const dyno = dynoOfIdentity(identity);
    if (dyno && (processBusy > 0 || Object.keys(entries).length > 0)) {
      busyDynos[dyno.processType] = Math.max(busyDynos[dyno.processType] ?? 0, dyno.number);
    }
    for (const raw of Object.values(entries)) {
      const entry = parseJsonAs(raw, workEntry);
      if (!entry) {
        warnings.push(`A running job of process ${identity} could not be read; per-queue busy counts may be low.`);
        continue;
      }
      busyByQueue.set(entry.queue, (busyByQueue.get(entry.queue) ?? 0) + 1);
    }
  }

  const queues: QueueProbe[] = names.map((name, index) => {
    const listKey = key(`queue:${name}`);
    const depth = reply.count(queueReplies[index * 2], listKey);
    const oldest = reply.string(queueReplies[index * 2 + 1], listKey);
    const probe: QueueProbe = { name, depth, latencyMs: null, busy: busyByQueue.get(name) ?? 0 };
    if (oldest === null) return probe;
    const enqueuedAt = sidekiqEnqueuedAtMs(oldest);
    if (!enqueuedAt.ok) return { ...probe, error: `${enqueuedAt.reason} (${listKey}); latency unknown` };
    return { ...probe, latencyMs: enqueuedAt.ms === null ? null : ageMs(nowMs, enqueuedAt.ms) };
  });

  // Only when every process names its dyno can "no entry" mean "no busy dyno of that type".
  const dynosKnown = processes.length > 0 && processes.every((identity) => dynoOfIdentity(identity) !== null);
  return {
    queues,
    busy,
    scheduled,
    retries,
    due,
    busyDynos: dynosKnown ? busyDynos : undefined,
    roundTrips: counter.roundTrips,
    warnings: [...new Set(warnings)],
  };
}

/**
 * Sidekiq names a process `<hostname>:<pid>:<nonce>`, and its hostname is $DYNO on Heroku
 * ("worker.3"). Heroku stops the highest-numbered dynos first, so the highest busy one is
 * the floor below which a downscale would kill a running job.
 */
export function dynoOfIdentity(identity: string): { processType: string; number: number } | null {
  const match = /^([A-Za-z0-9_-]+)\.(\d+):/.exec(identity);
  return match ? { processType: match[1] as string, number: Number(match[2]) } : null;
}
