import { connect as connectSocket } from "node:net";
import mysql from "mysql2/promise";
import { ConnectionPool, type Lease } from "@/lib/queues/connection-pool";
import { ProbeError, checkedProbeDestination, connectionProbeError, errorCode, errorMessage } from "@/lib/queues/errors";
import { PROBE_TIMEOUT_MS } from "@/lib/queues/limits";
import type { ReadOnlySession } from "@/lib/queues/pg-pool";

/** Where a MySQL connection goes, and what it logs in with. */
export interface MysqlTarget {
  /** The host the socket connects to. */
  host: string;
  port: number;
  /** The name TLS verifies the certificate against (the URL's host). */
  servername: string;
  user: string;
  password: string;
  database: string;
  /** false: plain text; otherwise TLS, verifying the certificate or not. */
  tls: false | { verify: boolean };
}

/**
 * The one place a MySQL probe decides where to connect (mysql:// and mysql2:// URLs, as
 * JawsDB and ClearDB give them). TLS follows the URL: `ssl-mode` (or `sslmode`) REQUIRED
 * encrypts without verifying, VERIFY_CA/VERIFY_IDENTITY verify, `ssl=true` (ClearDB's
 * style) verifies; without them the connection is plain, as those providers' URLs connect.
 */
export function connectionTarget(url: string): MysqlTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProbeError("invalid_config", "The MySQL URL is not a valid URL.");
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mysql2:") {
    throw new ProbeError("invalid_config", "The MySQL URL must start with mysql://.");
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!host) throw new ProbeError("invalid_config", "The MySQL URL has no host.");
  if (!database) throw new ProbeError("invalid_config", "The MySQL URL names no database (add /<database> after the host).");
  const mode = (parsed.searchParams.get("ssl-mode") ?? parsed.searchParams.get("sslmode") ?? "").toUpperCase();
  const sslParam = parsed.searchParams.get("ssl");
  let tls: MysqlTarget["tls"] = false;
  if (mode === "VERIFY_CA" || mode === "VERIFY_IDENTITY" || mode === "VERIFY-FULL" || sslParam === "true") tls = { verify: true };
  else if (mode === "REQUIRED" || mode === "REQUIRE") tls = { verify: false };
  return {
    host,
    port: parsed.port ? Number(parsed.port) : 3306,
    servername: host,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
    tls,
  };
}

async function openMysql(url: string): Promise<mysql.Connection> {
  const target = connectionTarget(url);
  const destination = await checkedProbeDestination(target.host, target.port);
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection({
      // The name stays the host, for TLS's server name and certificate check; the socket itself
      // goes to the checked address, never to a second lookup of the name.
      host: target.host,
      port: target.port,
      stream: () => connectSocket(destination.port, destination.address).setNoDelay(true),
      user: target.user,
      password: target.password,
      database: target.database,
      connectTimeout: PROBE_TIMEOUT_MS,
      ssl: target.tls ? { rejectUnauthorized: target.tls.verify } : undefined,
      // Counts come back as numbers, and DATETIME columns are compared in SQL, never parsed here.
      decimalNumbers: true,
      supportBigNumbers: true,
      timezone: "Z",
      multipleStatements: false,
      connectAttributes: { program_name: "ebbflow-probe" },
    });
    // An idle connection the server drops emits "error"; the pool notices through isHealthy.
    connection.on("error", () => broken.add(connection as mysql.Connection));
    // Rails writes DATETIME columns in UTC; the session compares in UTC too. A statement is
    // cancelled by the server after the probe timeout (MariaDB and MySQL name it differently).
    const [versionRows] = await connection.query("SELECT VERSION() AS version");
    const version = String((versionRows as { version?: unknown }[])[0]?.version ?? "");
    await connection.query("SET SESSION time_zone = '+00:00'");
    await connection.query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    await connection.query("SET SESSION lock_wait_timeout = 1");
    await connection.query(
      /mariadb/i.test(version)
        ? `SET SESSION max_statement_time = ${PROBE_TIMEOUT_MS / 1000}`
        : `SET SESSION max_execution_time = ${PROBE_TIMEOUT_MS}`,
    );
    return connection;
  } catch (error) {
    connection?.destroy();
    throw mysqlProbeError(error);
  }
}

const broken = new WeakSet<mysql.Connection>();

const pool = new ConnectionPool<mysql.Connection>(
  "mysql",
  {
    create: openMysql,
    destroy: (connection) => connection.end(),
    isHealthy: (connection) => !broken.has(connection),
  },
  { maxOpen: 100, idleMs: 30_000 },
);

export async function closeMysqlProbePool(): Promise<void> {
  await pool.closeAll();
}

/** Classifies a mysql2 error by its code, else as a connection failure. */
export function mysqlProbeError(error: unknown, target?: string): ProbeError {
  if (error instanceof ProbeError) return error;
  const code = errorCode(error);
  const message = errorMessage(error);
  switch (code) {
    case "ER_NO_SUCH_TABLE":
      return new ProbeError(
        "table_missing",
        `The table ${target ?? ""} does not exist in this database. Check that the URL points at the app's database and that the job library's migrations have run.`,
        { target, cause: error },
      );
    case "ER_BAD_FIELD_ERROR":
      return new ProbeError(
        "unparseable",
        `A column Ebbflow reads is missing from ${target ?? "the table"} (${message}). This version of the job library is not supported yet; tell us which version you run.`,
        { target, cause: error },
      );
    case "ER_ACCESS_DENIED_ERROR":
    case "ER_DBACCESS_DENIED_ERROR":
    case "ER_ACCESS_DENIED_NO_PASSWORD_ERROR":
      return new ProbeError(
        "auth_failed",
        "MySQL refused the credentials or the database in the URL. Copy the current URL (JAWSDB_URL, CLEARDB_DATABASE_URL) from the app's config vars.",
        { cause: error },
      );
    case "ER_BAD_DB_ERROR":
      return new ProbeError("auth_failed", "The database named at the end of the URL does not exist on this server.", { cause: error });
    case "ER_TABLEACCESS_DENIED_ERROR":
    case "ER_COLUMNACCESS_DENIED_ERROR":
      return new ProbeError("auth_failed", `This database user may not read ${target ?? "the job tables"}. Grant it SELECT.`, {
        target,
        cause: error,
      });
    case "ER_STATEMENT_TIMEOUT":
    case "ER_QUERY_TIMEOUT":
    case "ER_QUERY_INTERRUPTED":
      return new ProbeError(
        "timeout",
        `Reading ${target ?? "the job tables"} took longer than ${PROBE_TIMEOUT_MS} ms and was cancelled. The table may be very large or the database overloaded.`,
        { target, cause: error },
      );
    case "ER_LOCK_WAIT_TIMEOUT":
      return new ProbeError("timeout", `${target ?? "A job table"} is locked by another session (a migration?). Ebbflow will try again.`, {
        target,
        cause: error,
      });
    case "ER_CON_COUNT_ERROR":
    case "ER_TOO_MANY_USER_CONNECTIONS":
    case "ER_USER_LIMIT_REACHED":
      return new ProbeError("unreachable", "MySQL has no free connection for this user. Ebbflow will try again.", { cause: error });
  }
  return connectionProbeError(error, "MySQL", PROBE_TIMEOUT_MS);
}

/**
 * Runs `read` inside one READ ONLY transaction (REPEATABLE READ, so every count comes from
 * one snapshot) on the pooled connection for `url`: the server refuses any write, each
 * statement is cancelled after the probe timeout and a metadata lock is waited on 1 s at most.
 */
export async function withMysqlReadOnlyTransaction<R>(url: string, read: (session: ReadOnlySession) => Promise<R>): Promise<R> {
  try {
    return await pool.with(url, (lease) => runTransaction(lease, read), true);
  } catch (error) {
    const probeError = mysqlProbeError(error);
    if (probeError.kind === "unreachable" || probeError.kind === "timeout" || probeError.kind === "auth_failed") {
      await pool.discard(url);
    }
    throw probeError;
  }
}

async function runTransaction<R>(lease: Lease<mysql.Connection>, read: (session: ReadOnlySession) => Promise<R>): Promise<R> {
  const connection = lease.resource;
  const session: ReadOnlySession = {
    roundTrips: 0,
    async query(sql, params, parse, target) {
      session.roundTrips += 1;
      try {
        const [rows] = await connection.query({ sql, values: params, timeout: PROBE_TIMEOUT_MS + 500 });
        return parse(Array.isArray(rows) ? rows : []);
      } catch (error) {
        throw mysqlProbeError(error, target);
      }
    },
  };
  try {
    session.roundTrips += 1;
    await connection.query("START TRANSACTION READ ONLY");
    const result = await read(session);
    session.roundTrips += 1;
    await connection.query("COMMIT");
    return result;
  } catch (error) {
    await connection.query("ROLLBACK").catch(() => broken.add(connection));
    const probeError = mysqlProbeError(error);
    if (probeError.kind === "timeout" || probeError.kind === "unreachable") broken.add(connection);
    throw probeError;
  }
}
