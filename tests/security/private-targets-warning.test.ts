import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localEnv } from "@/scripts/local-env";

/*
 * EBBFLOW_ALLOW_PRIVATE_TARGETS is for development, tests and local runs. A production process
 * started with it says so in its log the moment it reads its environment; without it, it
 * refuses private targets and says nothing.
 */
const root = path.resolve(import.meta.dirname, "../..");

function startProduction(allow: string | undefined): string {
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", ...localEnv({ baseUrl: "http://127.0.0.1:3138" }), LOG_LEVEL: "info", PATH: process.env.PATH ?? "" };
  if (allow === undefined) delete env.EBBFLOW_ALLOW_PRIVATE_TARGETS;
  else env.EBBFLOW_ALLOW_PRIVATE_TARGETS = allow;
  const script = `import("./lib/env.ts").then(({ env }) => console.log("allowed=" + env().EBBFLOW_ALLOW_PRIVATE_TARGETS))`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: root, env, encoding: "utf8", timeout: 30_000 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe("EBBFLOW_ALLOW_PRIVATE_TARGETS in production", () => {
  it("logs a warning when a production process starts with it", () => {
    const out = startProduction("1");
    expect(out).toMatch(/allowed=true/);
    expect(out).toMatch(/"level":40.*EBBFLOW_ALLOW_PRIVATE_TARGETS is set/);
  });

  it("is off, and silent, when production does not set it", () => {
    const out = startProduction(undefined);
    expect(out).toMatch(/allowed=false/);
    expect(out).not.toMatch(/EBBFLOW_ALLOW_PRIVATE_TARGETS is set/);
  });
});
