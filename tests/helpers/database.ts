import { randomBytes } from "node:crypto";
import pg from "pg";

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
      `SELECT table_name, column_name, data_type, udt_name, is_nullable
         FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
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
