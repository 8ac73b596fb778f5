import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { z } from "zod";

const run = promisify(execFile);

/**
 * The real Heroku CLI (npm package `heroku`, 11.x), installed once into a cache folder outside
 * the project's dependencies (it is about 400 MB) and pointed at the simulated Heroku.
 */

export const herokuCliMajor = 11;

/** `EBBFLOW_HEROKU_CLI_CACHE`, or ~/.cache/ebbflow-heroku-cli. */
export function herokuCliCache(): string {
  return process.env.EBBFLOW_HEROKU_CLI_CACHE ?? path.join(homedir(), ".cache", "ebbflow-heroku-cli");
}

const packageSchema = z.object({ version: z.string() });

function installedVersion(cache: string): string | null {
  const file = path.join(cache, "node_modules", "heroku", "package.json");
  if (!existsSync(file)) return null;
  return packageSchema.parse(JSON.parse(readFileSync(file, "utf8"))).version;
}

/** npm's ways of saying it could not reach the registry, as opposed to any other failure. */
const unreachableRegistry = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b|network request .* failed/i;

export type CliInstall = { ok: true; bin: string; version: string } | { ok: false; reason: string };

/**
 * Installs `heroku@11` into the cache unless it is there. Resolves `{ok: false}` only when
 * the npm registry cannot be reached (the caller skips, visibly); any other failure throws.
 */
export async function installHerokuCli(cache = herokuCliCache()): Promise<CliInstall> {
  const bin = path.join(cache, "node_modules", "heroku", "bin", "run.js");
  let version = installedVersion(cache);
  if (!version || Number(version.split(".")[0]) !== herokuCliMajor) {
    mkdirSync(cache, { recursive: true });
    try {
      await run("npm", ["install", "--prefix", cache, `heroku@${herokuCliMajor}`, "--no-audit", "--no-fund", "--loglevel=error"], {
        timeout: 15 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const output = error instanceof Error ? `${error.message}\n${(error as { stderr?: string }).stderr ?? ""}` : String(error);
      if (unreachableRegistry.test(output)) {
        return { ok: false, reason: `the npm registry cannot be reached to install heroku@${herokuCliMajor}: ${output.slice(0, 300)}` };
      }
      throw error;
    }
    version = installedVersion(cache);
    if (!version) throw new Error(`npm installed heroku@${herokuCliMajor} into ${cache} but there is no package.json`);
  }
  return { ok: true, bin, version };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs CLI commands against `apiUrl` with `apiKey`, in a throwaway home (no netrc, config or
 * caches in the real one), without colours, analytics, telemetry or update checks.
 */
export function herokuCliRunner(bin: string, apiUrl: string, apiKey: string) {
  const home = mkdtempSync(path.join(tmpdir(), "ebbflow-heroku-cli-home-"));
  // The CLI runs `heroku` itself now and then (its git credential helper): give it this one.
  const binDir = path.join(home, "bin");
  mkdirSync(binDir);
  writeFileSync(path.join(binDir, "heroku"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(path.join(binDir, "heroku"), 0o755);
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: `${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    HEROKU_HOST: apiUrl,
    HEROKU_API_KEY: apiKey,
    HEROKU_SKIP_ANALYTICS: "1",
    HEROKU_SKIP_NEW_VERSION_CHECK: "true",
    DISABLE_TELEMETRY: "true",
    HEROKU_DISABLE_AUTOUPDATE: "1",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    TERM: "dumb",
  };
  return async function heroku(args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 120_000, maxBuffer: 8 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number | string; stdout?: string; stderr?: string };
      return { code: typeof failed.code === "number" ? failed.code : 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? String(error) };
    }
  };
}
