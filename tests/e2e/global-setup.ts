import type { FullConfig } from "@playwright/test";
import path from "node:path";
import { ensureDatabase, migrate } from "../../lib/db/migrate";
import { registerEbbflow } from "./support/sim-admin";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Refuses to run against anything but a local database, migrates it, and registers Ebbflow
 * with the simulated Heroku (which Playwright has started by now).
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const url = process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test";
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`End-to-end tests write test data; refusing to run against the non-local database host "${host}".`);
  }
  await ensureDatabase(url);
  await migrate(url, path.resolve(import.meta.dirname, "../../prisma/migrations"));
  const baseUrl = config.projects[0]?.use.baseURL;
  if (!baseUrl) throw new Error("playwright.config.ts sets no baseURL");
  await registerEbbflow(baseUrl);
}
