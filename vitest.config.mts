import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = { "@": fileURLToPath(new URL(".", import.meta.url)) };

/**
 * Heroku for tests that do not start the simulator: a loopback port that refuses at once. A
 * worker a test starts runs the upkeep jobs other tests left in the shared Redis (an
 * add-on's grant exchange, a webhook subscription); with Heroku's real addresses each of them
 * waited on a name lookup that cannot succeed here, and a worker starting under that flood
 * missed its test's deadline. Tests that start the simulator set their own.
 */
const nowhere = "http://127.0.0.1:9";

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.integration.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          env: { HEROKU_API_URL: nowhere, HEROKU_ID_URL: nowhere },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "security",
          include: ["tests/security/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          env: { EBBFLOW_ALLOW_PRIVATE_TARGETS: "0", HEROKU_API_URL: nowhere, HEROKU_ID_URL: nowhere },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
