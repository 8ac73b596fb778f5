import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { migrate } from "@/lib/db/migrate";

const ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

/** A database of its own for a test that needs an empty one; drop it when done. */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ebbflow_${label}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * A test file's own migrated database, set as DATABASE_URL before any test imports the client
 * (import `@/lib/db/client` inside the tests), disconnected and dropped after the file.
 */
export function useMigratedScratchDatabase(label: string): void {
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const database = await createScratchDatabase(label);
    drop = database.drop;
    await migrate(database.url, path.resolve(import.meta.dirname, "../../prisma/migrations"));
    process.env.DATABASE_URL = database.url;
  });
  afterAll(async () => {
    const { disconnectDb } = await import("@/lib/db/client");
    await disconnectDb();
    await drop();
  });
}

export interface ActualColumn {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}

/** The columns of every table in the public schema, as Postgres describes them. */
export async function readActualColumns(url: string): Promise<ActualColumn[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
      is_nullable: string;
    }>(
      // A partition (metric_samples_p20261205, …) is part of its parent's table, not a table
      // of its own in schema.prisma: only the parent's columns are compared.
      `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable
         FROM information_schema.columns c
         JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = 'public'::regnamespace
        WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations' AND NOT k.relispartition`,
    );
    return rows.map((row) => ({
      table: row.table_name,
      column: row.column_name,
      type: row.data_type === "USER-DEFINED" ? row.udt_name : row.data_type,
      nullable: row.is_nullable === "YES",
    }));
  } finally {
    await client.end();
  }
}
