import { Redis, type RedisOptions } from "ioredis";
import { ConnectionPool, type Lease, type PoolOptions } from "@/lib/queues/connection-pool";
import type { Destination } from "@/lib/net/resolve-destination";
import { ProbeError, checkedProbeDestination, connectionProbeError, errorMessage } from "@/lib/queues/errors";
import { PROBE_TIMEOUT_MS } from "@/lib/queues/limits";
import { parseRedisUrl, type RedisUrl } from "@/lib/queues/store-url";

const lastErrors = new WeakMap<Redis, Error>();

/**
 * Optional CLIENT SETNAME for probe connections, so they can be told apart in CLIENT LIST
 * (the benchmark does). Off by default: it costs a command per connection and restricted
 * users may not be allowed to run it.
 */
let connectionName: string | undefined;

/**
 * Options for a connection to a tenant's Redis, at the address lib/net checked. A probe must
 * fail fast and never queue commands for later: no retries, no offline queue, no reconnect (a
 * broken connection is dropped from the pool and the next probe opens a new one). No ready
 * check either: it costs an INFO round trip that restricted users may not be allowed to run.
 *
 * The URL is read here, field by field, and nothing else from it reaches ioredis: ioredis's
 * own URL parser would also take options from the query string (a unix socket `path`, a
 * different `host`), which would bypass the address check.
 *
 * `rediss://` URLs get TLS without certificate verification: Heroku Redis presents a
 * self-signed certificate, and its documentation tells clients to set
 * `rejectUnauthorized: false`. The connection is still encrypted; SNI carries the host name
 * the tenant typed while the socket goes to the checked address.
 */
export function probeRedisOptions(url: RedisUrl, destination: Destination): RedisOptions {
  const tls = url.tls ? { tls: { rejectUnauthorized: false, ...(destination.servername ? { servername: destination.servername } : {}) } } : {};
  return {
    host: destination.address,
    port: destination.port,
    family: destination.family,
    ...(url.username ? { username: url.username } : {}),
    ...(url.password ? { password: url.password } : {}),
    db: url.db,
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    commandTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    enableReadyCheck: false,
    // CLIENT SETINFO on connect would cost a round trip, and wait on servers that never answer.
    disableClientInfo: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    ...(connectionName ? { connectionName } : {}),
    ...tls,
  };
}

async function openRedis(rawUrl: string): Promise<Redis> {
  const url = parseRedisUrl(rawUrl);
  if (!url) throw new ProbeError("invalid_config", "The Redis URL is not valid: expected redis://[user]:[password]@host:port[/db].");
  const destination = await checkedProbeDestination(url.host, url.port);
  const client = new Redis(probeRedisOptions(url, destination));
  // Without a listener ioredis would print every socket error; the probe reports them instead.
  client.on("error", (error: Error) => lastErrors.set(client, error));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("connect timed out")), PROBE_TIMEOUT_MS + 250);
      }),
    ]);
    return client;
  } catch (error) {
    client.disconnect();
    throw redisProbeError(lastErrors.get(client) ?? error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An authentication failure ioredis reported on this connection, if any. ioredis sends AUTH
 * first and only emits its failure as an event; a server whose default user needs no
 * password then serves the commands anyway, as a different user than the URL names. The
 * probe treats that as the authentication failure it is.
 */
export function authFailure(client: Redis): ProbeError | null {
  const error = lastErrors.get(client);
  if (!error) return null;
  const classified = redisProbeError(error, client);
  return classified.kind === "auth_failed" ? classified : null;
}

/** Classifies an error from ioredis: authentication, timeout, unreachable. */
export function redisProbeError(error: unknown, client?: Redis): ProbeError {
  const connectionError = client ? lastErrors.get(client) : undefined;
  const message = errorMessage(connectionError ?? error);
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH.*failed|NOPERM/i.test(message)) {
    return new ProbeError(
      "auth_failed",
      `Redis refused the credentials in the URL. Copy the current REDIS_URL (or REDIS_TLS_URL) from the app's config vars; Heroku rotates Redis credentials.`,
      { cause: error },
    );
  }
  if (/Command timed out/i.test(message)) {
    return new ProbeError("timeout", `Redis did not answer within ${PROBE_TIMEOUT_MS} ms. The server may be overloaded or far away.`, {
      cause: error,
    });
  }
  return connectionProbeError(connectionError ?? error, "Redis", PROBE_TIMEOUT_MS);
}

const pool = new ConnectionPool<Redis>(
  "redis",
  {
    create: openRedis,
    destroy: async (client) => {
      client.disconnect();
    },
    isHealthy: (client) => client.status === "ready",
  },
  { maxOpen: 100, idleMs: 30_000 },
);

export function configureRedisProbePool(options: Partial<PoolOptions> & { connectionName?: string }): void {
  const { connectionName: name, ...poolOptions } = options;
  if (name !== undefined) connectionName = name || undefined;
  pool.configure(poolOptions);
}

export function redisProbePoolSize(): number {
  return pool.size;
}

export async function closeRedisProbePool(): Promise<void> {
  await pool.closeAll();
}

/** Runs `use` with the pooled connection for `url`; a connection that failed is discarded. */
export async function withRedis<R>(url: string, use: (lease: Lease<Redis>) => Promise<R>): Promise<R> {
  try {
    return await pool.with(url, use);
  } catch (error) {
    if (error instanceof ProbeError && (error.kind === "unreachable" || error.kind === "timeout" || error.kind === "auth_failed")) {
      await pool.discard(url);
    }
    throw error;
  }
}
