import path from "node:path";
import { ensureDatabase, migrate, MigrationError } from "@/lib/db/migrate";
import { env, EnvError } from "@/lib/env";

/** `npm run db:migrate`: applies pending migrations (the Procfile's release phase runs it too). */
async function main(): Promise<void> {
  const { DATABASE_URL, NODE_ENV, TLS_CA_BUNDLE } = env();
  if (NODE_ENV !== "production") await ensureDatabase(DATABASE_URL, TLS_CA_BUNDLE);
  const directory = path.resolve(import.meta.dirname, "../prisma/migrations");
  const result = await migrate(DATABASE_URL, directory, (line) => console.log(line), TLS_CA_BUNDLE);
  console.log(
    result.applied.length === 0
      ? `database is up to date (${result.alreadyApplied.length} migrations applied earlier)`
      : `applied ${result.applied.length} migration(s)`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof MigrationError || error instanceof EnvError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
