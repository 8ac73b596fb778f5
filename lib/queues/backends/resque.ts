import type { Redis } from "ioredis";
import { z } from "zod";
import { isJson, parseJsonAs } from "@/lib/queues/json";
import { readBatch, reply, type ReadCommand } from "@/lib/queues/redis-read";
import type { QueueProbe } from "@/lib/queues/schema";
import type { BackendReading } from "@/lib/queues/summarize";
import { ageMs } from "@/lib/queues/summarize";

/**
 * Resque (1.x and 2.x), under its namespace (default "resque"; `Resque.redis.namespace`).
 *
 * - `<ns>:queue:<name>`: a list; Resque RPUSHes and LPOPs, so the oldest job is at index 0.
 * - `<ns>:queues`: the set of queue names.
 * - `<ns>:workers`: the set of worker ids; `<ns>:worker:<id>` is a JSON string
 *   `{"queue","run_at","payload"}` that exists only while that worker runs a job.
 *
 * A Resque payload is `{"class","args"}` with no time in it, so latency is unknown (null),
 * except for Active Job jobs, whose first argument carries Active Job's own `enqueued_at`.
 * resque-scheduler keeps delayed jobs as one list per timestamp, so counting them is O(n):
 * scheduled and retries are reported as unknown rather than walked.
 */
export interface ResqueOptions {
  queues?: string[];
  prefix?: string;
}

const activeJobPayload = z.object({
  args: z.tuple([z.object({ enqueued_at: z.string() })], z.unknown()),
});
const working = z.object({ queue: z.string() });

export async function probeResque(
  client: Redis,
  memo: Map<string, unknown>,
  options: ResqueOptions,
  nowMs: number,
  counter: { roundTrips: number },
): Promise<BackendReading> {
  const ns = options.prefix ?? "resque";
  const key = (name: string) => `${ns}:${name}`;
  const memoKey = `resque:${ns}:workers`;
  const remembered = z.array(z.string()).catch([]).parse(memo.get(memoKey) ?? []);
  const queueCommands = (names: string[]): ReadCommand[] =>
    names.flatMap((name): ReadCommand[] => [
      ["llen", key(`queue:${name}`)],
      ["lindex", key(`queue:${name}`), 0],
    ]);
  const workerCommand = (ids: string[]): ReadCommand[] => (ids.length ? [["mget", ...ids.map((id) => key(`worker:${id}`))]] : []);

  const first: ReadCommand[] = [
    ["smembers", key("workers")],
    ...(options.queues ? queueCommands(options.queues) : ([["smembers", key("queues")]] as ReadCommand[])),
    ...workerCommand(remembered),
  ];
  const firstReplies = await readBatch(client, first, counter);
  const workers = reply.strings(firstReplies[0], key("workers"));
  const names = options.queues ?? reply.strings(firstReplies[1], key("queues")).sort();
  let queueReplies = options.queues ? firstReplies.slice(1, 1 + names.length * 2) : [];
  const payloads = new Map<string, string | null>();
  if (remembered.length) {
    const values = reply.optionalStrings(firstReplies[firstReplies.length - 1], key("worker:*"));
    remembered.forEach((id, index) => payloads.set(id, values[index] ?? null));
  }

  const fresh = workers.filter((id) => !payloads.has(id));
  const second = [...(options.queues ? [] : queueCommands(names)), ...workerCommand(fresh)];
  if (second.length) {
    const secondReplies = await readBatch(client, second, counter);
    if (!options.queues) queueReplies = secondReplies.slice(0, names.length * 2);
    if (fresh.length) {
      const values = reply.optionalStrings(secondReplies[secondReplies.length - 1], key("worker:*"));
      fresh.forEach((id, index) => payloads.set(id, values[index] ?? null));
    }
  }
  memo.set(memoKey, workers);

  let busy = 0;
  const busyByQueue = new Map<string, number>();
  for (const id of workers) {
    const raw = payloads.get(id);
    if (!raw) continue;
    busy += 1;
    const job = parseJsonAs(raw, working);
    if (job) busyByQueue.set(job.queue, (busyByQueue.get(job.queue) ?? 0) + 1);
  }

  const queues: QueueProbe[] = names.map((name, index) => {
    const listKey = key(`queue:${name}`);
    const depth = reply.count(queueReplies[index * 2], listKey);
    const oldest = reply.string(queueReplies[index * 2 + 1], listKey);
    const probe: QueueProbe = { name, depth, latencyMs: null, busy: busyByQueue.get(name) ?? 0 };
    if (oldest === null) return probe;
    if (!isJson(oldest)) return { ...probe, error: `the oldest job is not valid JSON (${listKey}); latency unknown` };
    const activeJob = parseJsonAs(oldest, activeJobPayload);
    const enqueuedAt = activeJob ? Date.parse(activeJob.args[0].enqueued_at) : Number.NaN;
    return Number.isNaN(enqueuedAt) ? probe : { ...probe, latencyMs: ageMs(nowMs, enqueuedAt) };
  });

  return { queues, busy, scheduled: null, retries: null, due: null, roundTrips: counter.roundTrips };
}
