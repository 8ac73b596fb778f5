import { Redis, type RedisOptions } from "ioredis";
import { env } from "@/lib/env";
import { redisTls } from "@/lib/redis/redis-tls";

/**
 * Redis connections for the two kinds of callers BullMQ's production guide distinguishes:
 * workers block and must wait for Redis to come back (`maxRetriesPerRequest: null`); web
 * requests must fail fast so a health check or an API call answers instead of hanging.
 */
export function createRedis(kind: "worker" | "web", overrides: RedisOptions = {}): Redis {
  const options: RedisOptions =
    kind === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 2000 };
  const { REDIS_URL, TLS_CA_BUNDLE } = env();
  return new Redis(REDIS_URL, { lazyConnect: false, ...redisTls(REDIS_URL, TLS_CA_BUNDLE), ...options, ...overrides });
}

const globalForRedis = globalThis as unknown as { ebbflowRedis?: Redis };

/** The shared fail-fast connection of a web process. */
export function webRedis(): Redis {
  globalForRedis.ebbflowRedis ??= createRedis("web");
  return globalForRedis.ebbflowRedis;
}

export async function disconnectWebRedis(): Promise<void> {
  const client = globalForRedis.ebbflowRedis;
  globalForRedis.ebbflowRedis = undefined;
  if (client) await client.quit().catch(() => client.disconnect());
}
