import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const databaseUrl = process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test";

/**
 * End-to-end tests drive Debian's Chromium against the production build (`next start`),
 * with a local test database and Redis. Playwright never downloads a browser here.
 */
export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
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
  webServer: {
    command: `npx next start -p ${port} -H 127.0.0.1`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.E2E_REDIS_URL ?? "redis://127.0.0.1:6379",
      APP_URL: baseURL,
      NEXTAUTH_URL: baseURL,
      ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
      NEXTAUTH_SECRET: "e2e-only-nextauth-secret",
      HEROKU_ADDON_PASSWORD: "e2e-addon-password",
      HEROKU_SSO_SALT: "e2e-sso-salt",
      HEROKU_PARTNER_CLIENT_SECRET: "e2e-partner-secret",
      HEROKU_OAUTH_ID: "e2e-oauth-id",
      HEROKU_OAUTH_SECRET: "e2e-oauth-secret",
      LOG_LEVEL: "warn",
    },
  },
});
