import { defineConfig } from "prisma/config";

// The CLI only needs a URL for commands that talk to the database (migrate deploy on a
// machine with Prisma's engines). `prisma generate` reads none.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_dev",
  },
});
