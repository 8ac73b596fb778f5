import path from "node:path";
import { ensureDatabase, migrate } from "@/lib/db/migrate";
import { parseEnv } from "@/lib/env";

/** Creates the test database if it is missing and brings it up to date, once per run. */
export default async function setup(): Promise<void> {
  const { DATABASE_URL } = parseEnv({ ...process.env, NODE_ENV: "test" });
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL, path.resolve(import.meta.dirname, "../../prisma/migrations"));
}
