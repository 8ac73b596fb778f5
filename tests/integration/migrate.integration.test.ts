import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { createScratchDatabase, readActualColumns } from "../helpers/database";
import { readExpectedColumns } from "../helpers/prisma-schema";
import { findDrift } from "../helpers/schema-drift";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const migrationsDir = path.join(root, "prisma/migrations");
const schemaPath = path.join(root, "prisma/schema.prisma");
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function scratch(label: string) {
  const database = await createScratchDatabase(label);
  cleanups.push(database.drop);
  return database.url;
}

async function appliedRows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  await client.end();
  return rows;
}

describe("migrations", () => {
  it("builds exactly the tables and columns schema.prisma describes", async () => {
    const url = await scratch("drift");
    await migrate(url, migrationsDir);
    const expected = readExpectedColumns(schemaPath);
    expect(expected.length).toBeGreaterThan(40);
    expect(findDrift(expected, await readActualColumns(url))).toEqual([]);
  });

  it("notices when the SQL loses a column that the schema has", async () => {
    const copy = await mkdtemp(path.join(tmpdir(), "ebbflow-migrations-"));
    cleanups.push(() => rm(copy, { recursive: true, force: true }));
    await cp(migrationsDir, copy, { recursive: true });
    const [first] = await readMigrations(copy);
    if (!first) throw new Error("no migrations found");
    const sql = await readFile(first.file, "utf8");
    const withoutColumn = sql.replace(/^\s*"last_error" TEXT,\n/m, "");
    expect(withoutColumn).not.toEqual(sql);
    await writeFile(first.file, withoutColumn);

    const url = await scratch("drift_bad");
    await migrate(url, copy);
    const drift = findDrift(readExpectedColumns(schemaPath), await readActualColumns(url));
    expect(drift).toContain("Tenant.lastError (tenants.last_error): column missing");
  });

  it("records migrations the way Prisma does: sha256 of the file, finished", async () => {
    const url = await scratch("record");
    const result = await migrate(url, migrationsDir);
    const files = await readMigrations(migrationsDir);
    expect(result.applied).toEqual(files.map((f) => f.name));
    const rows = await appliedRows(url);
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
    expect(files[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("applies nothing the second time", async () => {
    const url = await scratch("twice");
    await migrate(url, migrationsDir);
    const second = await migrate(url, migrationsDir);
    expect(second.applied).toEqual([]);
    expect(await appliedRows(url)).toHaveLength((await readMigrations(migrationsDir)).length);
  });

  it("leaves one applied copy when two processes migrate at once", async () => {
    const url = await scratch("race");
    const tsx = path.join(root, "node_modules/.bin/tsx");
    const runOnce = () =>
      run(tsx, [path.join(root, "scripts/migrate.ts")], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, NODE_ENV: "test" },
      });
    const outcomes = await Promise.all([runOnce(), runOnce()]);
    const total = (await readMigrations(migrationsDir)).length;
    const applied = outcomes.filter((o) => o.stdout.includes(`applied ${total} migration(s)`));
    const upToDate = outcomes.filter((o) => o.stdout.includes("database is up to date"));
    expect([applied.length, upToDate.length]).toEqual([1, 1]);
    const rows = await appliedRows(url);
    const names = rows.map((r) => r.migration_name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength((await readMigrations(migrationsDir)).length);
  });

  it("refuses a migration that changed after it was applied, naming the file", async () => {
    const copy = await mkdtemp(path.join(tmpdir(), "ebbflow-migrations-"));
    cleanups.push(() => rm(copy, { recursive: true, force: true }));
    await cp(migrationsDir, copy, { recursive: true });
    const url = await scratch("changed");
    await migrate(url, copy);
    const [first] = await readMigrations(copy);
    if (!first) throw new Error("no migrations found");
    await writeFile(first.file, `${first.sql}\n-- edited afterwards\n`);
    await expect(migrate(url, copy)).rejects.toThrow(`${first.file} was changed after it was applied`);
  });

  it("rolls back a failing migration and records nothing for it", async () => {
    const copy = await mkdtemp(path.join(tmpdir(), "ebbflow-migrations-"));
    cleanups.push(() => rm(copy, { recursive: true, force: true }));
    await cp(migrationsDir, copy, { recursive: true });
    const broken = path.join(copy, "29991231000000_broken");
    await import("node:fs/promises").then((fs) => fs.mkdir(broken));
    await writeFile(path.join(broken, "migration.sql"), `CREATE TABLE "half_done" (id int);\nSELECT * FROM no_such_table;\n`);
    const url = await scratch("broken");
    await expect(migrate(url, copy)).rejects.toThrow(/29991231000000_broken.*failed and was rolled back/);
    const rows = await appliedRows(url);
    expect(rows.map((r) => r.migration_name)).not.toContain("29991231000000_broken");
    const tables = await readActualColumns(url);
    expect(tables.some((c) => c.table === "half_done")).toBe(false);
  });
});
