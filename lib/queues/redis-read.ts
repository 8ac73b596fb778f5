import type { Redis } from "ioredis";
import { z } from "zod";
import { ProbeError } from "@/lib/queues/errors";
import { PROBE_TIMEOUT_MS } from "@/lib/queues/limits";
import { authFailure, redisProbeError } from "@/lib/queues/redis-pool";

/** A read-only Redis command: name first, then its arguments. */
export type ReadCommand = [name: ReadCommandName, ...args: (string | number)[]];

/**
 * The only commands a probe sends. Every one is O(1) or O(log n) in the size of a queue,
 * except SMEMBERS/HGETALL/MGET on sets that hold processes, workers or queue names (bounded by
 * the app's size, not its backlog) and SCAN, which is bounded by COUNT and a call limit.
 * KEYS and full-list LRANGE are deliberately absent.
 */
type ReadCommandName =
  | "llen"
  | "lindex"
  | "zcard"
  | "zcount"
  | "zrange"
  | "hget"
  | "hmget"
  | "hgetall"
  | "smembers"
  | "mget"
  | "get"
  | "scard"
  | "scan";

/**
 * Sends one pipeline (one round trip) and returns the raw replies, or throws a ProbeError:
 * WRONGTYPE names the key, so the customer can see which key is not what the library writes.
 */
export async function readBatch(client: Redis, commands: ReadCommand[], counter: { roundTrips: number }): Promise<unknown[]> {
  if (commands.length === 0) return [];
  counter.roundTrips += 1;
  let replies: [Error | null, unknown][] | null;
  let timer: NodeJS.Timeout | undefined;
  try {
    // ioredis times out single commands but a pipeline can wait forever on a server that
    // accepted the connection and never answers, so the whole batch gets its own deadline.
    replies = await Promise.race([
      client.pipeline(commands).exec(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          client.disconnect();
          reject(new Error("Command timed out"));
        }, PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    throw redisProbeError(error, client);
  } finally {
    clearTimeout(timer);
  }
  if (!replies) throw redisProbeError(new Error("Connection is closed."), client);
  const refused = authFailure(client);
  if (refused) throw refused;
  return replies.map(([error, reply], index) => {
    if (!error) return reply;
    const key = String(commands[index]?.[1] ?? "");
    if (/^WRONGTYPE/.test(error.message)) {
      throw new ProbeError(
        "wrong_type",
        `The key "${key}" holds a different kind of value than the job library writes there. Check the backend, namespace and prefix settings, and the database number in the URL.`,
        { target: key, cause: error },
      );
    }
    throw redisProbeError(error, client);
  });
}

const count = z.number().int().min(0);
const optionalString = z.string().nullable();
const stringList = z.array(z.string());
const stringPairs = z.record(z.string(), z.string());

function parseReply<T>(schema: z.ZodType<T>, reply: unknown, what: string): T {
  const parsed = schema.safeParse(reply);
  if (!parsed.success) {
    throw new ProbeError("unparseable", `Redis answered ${what} with an unexpected value.`, { target: what });
  }
  return parsed.data;
}

export const reply = {
  count: (value: unknown, what: string) => parseReply(count, value, what),
  string: (value: unknown, what: string) => parseReply(optionalString, value, what),
  strings: (value: unknown, what: string) => parseReply(stringList, value, what),
  /** HMGET/MGET replies: one string or null per field. */
  optionalStrings: (value: unknown, what: string) => parseReply(z.array(optionalString), value, what),
  hash: (value: unknown, what: string) => parseReply(stringPairs, value, what),
  /** SCAN's [cursor, keys] reply. */
  scan: (value: unknown, what: string) => parseReply(z.tuple([z.string(), stringList]), value, what),
};

/** Walks SCAN with MATCH and COUNT, stopping after `maxCalls` calls (one round trip each). */
export async function boundedScan(
  client: Redis,
  match: string,
  counter: { roundTrips: number },
  options: { count?: number; maxCalls?: number } = {},
): Promise<{ keys: string[]; complete: boolean }> {
  const keys = new Set<string>();
  let cursor = "0";
  for (let calls = 0; calls < (options.maxCalls ?? 10); calls += 1) {
    const [raw] = await readBatch(client, [["scan", cursor, "MATCH", match, "COUNT", options.count ?? 1000]], counter);
    const [next, found] = reply.scan(raw, `SCAN ${match}`);
    for (const key of found) keys.add(key);
    cursor = next;
    if (cursor === "0") return { keys: [...keys], complete: true };
  }
  return { keys: [...keys], complete: false };
}
