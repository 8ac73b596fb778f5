import pg from "pg";
import { ConnectionPool, type Lease, type PoolOptions } from "@/lib/queues/connection-pool";
import type { Destination } from "@/lib/net/resolve-destination";
import { ProbeError, checkedProbeDestination, connectionProbeError, errorCode, errorMessage } from "@/lib/queues/errors";
import { PROBE_TIMEOUT_MS } from "@/lib/queues/limits";
import { parsePostgresUrl, type PostgresUrl } from "@/lib/queues/store-url";

const loopbackHosts = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/**
 * Client settings for a tenant's Postgres, at the address lib/net checked. TLS follows the
 * URL's `sslmode`: `disable` turns it off, `verify-ca`/`verify-full` verify the certificate
 * (against the host name the tenant typed, sent as SNI), anything else (`require`, `prefer`,
 * or no sslmode at all on a non-local host) encrypts without verifying, because Heroku
 * Postgres requires TLS and presents certificates that do not verify against public roots.
 * Loopback hosts without an sslmode connect in plain text (local development).
 *
 * Only the URL's user, password, database and sslmode are used: pg's own URL parser would
 * also take `host` (a unix socket) and other settings from the query string, bypassing the
 * address check.
 */
export function probePgConfig(url: PostgresUrl, destination: Destination): pg.ClientConfig {
  const servername = destination.servername ? { servername: destination.servername } : {};
  let ssl: pg.ClientConfig["ssl"];
  if (url.sslmode === "disable") ssl = false;
  else if (url.sslmode === "verify-ca" || url.sslmode === "verify-full") ssl = { rejectUnauthorized: true, ...servername };
  else if (url.sslmode || !loopbackHosts.has(url.host)) ssl = { rejectUnauthorized: false, ...servername };
  else ssl = false;
  return {
    host: destination.address,
    port: destination.port,
    user: url.user,
    password: url.password,
    database: url.database || url.user,
    ssl,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    // Client-side backstop; the server-side statement_timeout is set per transaction.
    query_timeout: PROBE_TIMEOUT_MS + 500,
    application_name: "ebbflow-probe",
    keepAlive: true,
  };
}

async function openPg(rawUrl: string): Promise<pg.Client> {
  const url = parsePostgresUrl(rawUrl);
  if (!url) throw new ProbeError("invalid_config", "The Postgres URL is not valid: expected postgres://user:password@host:port/database.");
  const destination = await checkedProbeDestination(url.host, url.port);
  const client = new pg.Client(probePgConfig(url, destination));
  // An idle connection the server drops emits "error"; the pool notices through isHealthy.
  client.on("error", () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    void client.end().catch(() => undefined);
    throw pgProbeError(error);
  }
}

const broken = new WeakSet<pg.Client>();

const pool = new ConnectionPool<pg.Client>(
  "postgres",
  {
    create: openPg,
    destroy: (client) => client.end(),
    isHealthy: (client) => !broken.has(client),
  },
  { maxOpen: 100, idleMs: 30_000 },
);

export function configurePgProbePool(options: Partial<PoolOptions>): void {
  pool.configure(options);
}

export function pgProbePoolSize(): number {
  return pool.size;
}

export async function closePgProbePool(): Promise<void> {
  await pool.closeAll();
}

/** Classifies a pg error by SQLSTATE, else as a connection failure. */
export function pgProbeError(error: unknown, target?: string): ProbeError {
  if (error instanceof ProbeError) return error;
  const code = errorCode(error);
  const message = errorMessage(error);
  switch (code) {
    case "42P01":
      return new ProbeError(
        "table_missing",
        `The table ${target ?? ""} does not exist in this database. Check that the URL points at the app's database and that the job library's migrations have run.`,
        { target, cause: error },
      );
    case "42703":
      return new ProbeError(
        "unparseable",
        `A column Ebbflow reads is missing from ${target ?? "the table"}. This version of the job library is not supported yet; tell us which version you run.`,
        { target, cause: error },
      );
    case "28P01":
    case "28000":
      return new ProbeError(
        "auth_failed",
        `Postgres refused the credentials in the URL. Copy the current DATABASE_URL from the app's config vars; Heroku rotates database credentials.`,
        { cause: error },
      );
    case "3D000":
      return new ProbeError("auth_failed", "Postgres refused the connection: authentication failed or the database does not exist. Check the user, password and database name in the URL.", { cause: error });
    case "42501":
      return new ProbeError(
        "auth_failed",
        `This database user may not read ${target ?? "the job tables"}. Grant it SELECT, or use a credential that has it.`,
        { target, cause: error },
      );
    case "57014":
      return new ProbeError(
        "timeout",
        `Reading ${target ?? "the job tables"} took longer than ${PROBE_TIMEOUT_MS} ms and was cancelled. The table may be very large or the database overloaded.`,
        { target, cause: error },
      );
    case "55P03":
      return new ProbeError("timeout", `${target ?? "A job table"} is locked by another session (a migration?). Ebbflow will try again.`, {
        target,
        cause: error,
      });
    case "53300":
      return new ProbeError("unreachable", "Postgres has no free connection slots. Ebbflow will try again.", { cause: error });
  }
  if (/Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(message)) {
    return new ProbeError("timeout", `Postgres did not answer within ${PROBE_TIMEOUT_MS} ms. Check the host and port.`, { cause: error });
  }
  return connectionProbeError(error, "Postgres", PROBE_TIMEOUT_MS);
}

export interface ReadOnlySession {
  query<Row>(sql: string, params: unknown[], parse: (rows: unknown[]) => Row[], target: string): Promise<Row[]>;
  roundTrips: number;
}

/**
 * Runs `read` inside one READ ONLY, REPEATABLE READ transaction on the pooled connection for
 * `url`: the server itself refuses any write, every statement is cancelled after 2 s, a
 * table locked by a migration is given up on after 0.5 s, and all counts come from one
 * snapshot. The session's time zone is UTC because Rails writes `timestamp without time
 * zone` columns in UTC, and `now()` must compare with them in the same zone.
 */
export async function withReadOnlyTransaction<R>(url: string, read: (session: ReadOnlySession) => Promise<R>): Promise<R> {
  try {
    return await pool.with(url, (lease) => runTransaction(lease, read), true);
  } catch (error) {
    const probeError = pgProbeError(error);
    if (probeError.kind === "unreachable" || probeError.kind === "timeout" || probeError.kind === "auth_failed") {
      await pool.discard(url);
    }
    throw probeError;
  }
}

async function runTransaction<R>(lease: Lease<pg.Client>, read: (session: ReadOnlySession) => Promise<R>): Promise<R> {
  const client = lease.resource;
  const session: ReadOnlySession = {
    roundTrips: 0,
    async query(sql, params, parse, target) {
      session.roundTrips += 1;
      try {
        const result = await client.query({ text: sql, values: params });
        return parse(result.rows);
      } catch (error) {
        throw pgProbeError(error, target);
      }
    },
  };
  try {
    session.roundTrips += 1;
    await client.query(
      `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
       SET LOCAL statement_timeout = ${PROBE_TIMEOUT_MS};
       SET LOCAL lock_timeout = 500;
       SET LOCAL TIME ZONE 'UTC'`,
    );
    const result = await read(session);
    session.roundTrips += 1;
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => broken.add(client));
    const probeError = pgProbeError(error);
    if (probeError.kind === "timeout" || probeError.kind === "unreachable") broken.add(client);
    throw probeError;
  }
}
