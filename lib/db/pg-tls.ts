import type { ConnectionOptions } from "node:tls";

const loopbackHosts = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
/** Query parameters node-postgres would read itself, with meanings that differ from libpq's. */
const tlsParams = ["sslmode", "ssl", "sslcert", "sslkey", "sslrootcert", "uselibpqcompat"];

export interface DatabaseConnection {
  connectionString: string;
  ssl: false | ConnectionOptions;
}

/**
 * How Ebbflow connects to its own Postgres, from DATABASE_URL's `sslmode` (libpq's meanings):
 * `disable` is plain text; `verify-full` verifies the certificate and the host name;
 * `verify-ca` the certificate only; `require` (also `prefer`, `allow`, `no-verify`) encrypts,
 * and verifies against `caBundle` when one is given, as libpq does with a root certificate.
 * Without `sslmode`, a loopback host is plain text (local development) and any other host
 * gets TLS: Heroku Postgres requires it, its DATABASE_URL names no sslmode, and its
 * certificates are self-signed, so Heroku documents connecting without verification
 * (`rejectUnauthorized: false`). TLS_CA_BUNDLE makes that strict.
 */
export function databaseConnection(url: string, caBundle?: string): DatabaseConnection {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get("sslmode")?.toLowerCase() ?? (parsed.searchParams.get("ssl") === "true" ? "require" : undefined);
  for (const param of tlsParams) parsed.searchParams.delete(param);
  const connectionString = parsed.toString();
  const ca = caBundle ? { ca: caBundle } : {};
  if (sslmode === "disable" || (sslmode === undefined && loopbackHosts.has(parsed.hostname))) return { connectionString, ssl: false };
  if (sslmode === "verify-full") return { connectionString, ssl: { ...ca, rejectUnauthorized: true } };
  if (sslmode === "verify-ca") return { connectionString, ssl: { ...ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } };
  if (caBundle) return { connectionString, ssl: { ca: caBundle, rejectUnauthorized: true, checkServerIdentity: () => undefined } };
  return { connectionString, ssl: { rejectUnauthorized: false } };
}
