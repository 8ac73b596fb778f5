import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { databaseConnection } from "@/lib/db/pg-tls";

/**
 * Applies prisma/migrations/<name>/migration.sql files in order, recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, same sha256
 * checksum of the file, same advisory lock), so either tool can take over from the other.
 */

/** The advisory lock key Prisma's migration engine takes; two runners never overlap. */
export const MIGRATION_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export async function readMigrations(directory: string): Promise<MigrationFile[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(directory, name, "migration.sql");
      const sql = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        throw new MigrationError(
          error.code === "ENOENT" ? `${file} is missing: every migration folder needs a migration.sql` : String(error),
        );
      });
      return { name, file, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Applies every pending migration, each in its own transaction, under Prisma's advisory lock. */
export async function migrate(
  databaseUrl: string,
  directory: string,
  logLine: (line: string) => void = () => {},
  caBundle?: string,
): Promise<MigrateResult> {
  const migrations = await readMigrations(directory);
  const client = new pg.Client(databaseConnection(databaseUrl, caBundle));
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const applied = new Map<string, AppliedRow>();
      for (const row of rows) {
        if (row.rolled_back_at) continue;
        if (!row.finished_at) {
          throw new MigrationError(
            `Migration ${row.migration_name} started but did not finish: fix the database, then mark it ` +
              `rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = ` +
              `'${row.migration_name}') and migrate again.`,
          );
        }
        applied.set(row.migration_name, row);
      }

      const result: MigrateResult = { applied: [], alreadyApplied: [] };
      for (const migration of migrations) {
        const done = applied.get(migration.name);
        if (done) {
          if (done.checksum !== migration.checksum) {
            throw new MigrationError(
              `${migration.file} was changed after it was applied (checksum ${done.checksum.slice(0, 12)}… ` +
                `in the database, ${migration.checksum.slice(0, 12)}… on disk). Put the file back and add ` +
                `a new migration instead.`,
            );
          }
          result.alreadyApplied.push(migration.name);
          continue;
        }
        await applyOne(client, migration);
        logLine(`applied ${migration.name}`);
        result.applied.push(migration.name);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new MigrationError(`${migration.file} failed and was rolled back: ${(error as Error).message}`);
  }
}

/** Creates the database named in `databaseUrl` if it does not exist (development and tests). */
export async function ensureDatabase(databaseUrl: string, caBundle?: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new MigrationError(`Database name "${name}" is not a plain identifier`);
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client(databaseConnection(admin.toString(), caBundle));
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
        // Another process created it between our check and our CREATE: that is what we wanted.
        if (error.code !== "42P04" && error.code !== "23505") throw error;
      });
    }
  } finally {
    await client.end();
  }
}
