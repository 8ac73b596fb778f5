import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/db/generated/client";
import { databaseConnection } from "@/lib/db/pg-tls";
import { env } from "@/lib/env";

const globalForDb = globalThis as unknown as { ebbflowDb?: PrismaClient };

function createClient(): PrismaClient {
  const { DATABASE_URL, TLS_CA_BUNDLE, DATABASE_POOL_MAX } = env();
  const adapter = new PrismaPg({ ...databaseConnection(DATABASE_URL, TLS_CA_BUNDLE), max: DATABASE_POOL_MAX });
  return new PrismaClient({ adapter });
}

/**
 * The one Prisma client of this process, created on first use. Kept on globalThis so that
 * Next.js hot reload in development does not open a new pool on every edit.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = (globalForDb.ebbflowDb ??= createClient());
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  await globalForDb.ebbflowDb?.$disconnect();
  globalForDb.ebbflowDb = undefined;
}
