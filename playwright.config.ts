import { defineConfig } from "@playwright/test";
import { localEnv } from "./scripts/local-env";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const databaseUrl = process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test";
const simPort = Number(process.env.E2E_SIM_PORT ?? 5199);
const simUrl = `http://127.0.0.1:${simPort}`;
// Test workers inherit this: tests set up the simulated Heroku through its admin API.
process.env.E2E_SIM_URL = simUrl;
// The web and worker's own Redis: a run's checks schedule and job queues stay out of other runs'.
const redisUrl = process.env.E2E_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
process.env.E2E_SERVICES_REDIS_URL = redisUrl;
const serviceEnv = localEnv({ baseUrl: baseURL, databaseUrl, redisUrl, herokuApiUrl: simUrl, herokuIdUrl: simUrl });

/**
 * End-to-end tests drive Debian's Chromium against the production build (`next start`) and a
 * worker, with a local test database and Redis, and the simulated Heroku in place of Heroku.
 * Playwright never downloads a browser here.
 */
export default defineConfig({
  testDir: "tests",
  testMatch: ["e2e/**/*.spec.ts", "security/**/*.spec.ts"],
  outputDir: "test-results",
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./tests/e2e/global-setup.ts",
  use: {
    baseURL,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      name: "sim",
      command: `npx tsx sim/cli.ts --port ${simPort}`,
      port: simPort,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      name: "web",
      command: "node scripts/serve.mjs",
      url: `${baseURL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { ...serviceEnv, PORT: String(port), HOSTNAME_BIND: "127.0.0.1" },
    },
    {
      name: "worker",
      command: "node --enable-source-maps dist/worker.mjs", // the Procfile's worker, built by npm run build
      wait: { stdout: /worker started/ },
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { ...serviceEnv, LOG_LEVEL: "info" },
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
  ],
});
