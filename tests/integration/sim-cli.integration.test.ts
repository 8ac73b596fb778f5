import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");

function runCli(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["sim/cli.ts", ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: "warn" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`sim CLI did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("npm run sim -- --trace", () => {
  let directory = "";
  let tracePath = "";

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "ebbflow-sim-cli-"));
    tracePath = path.join(directory, "burst.jsonl");
    const header = { name: "CLI burst", dyno: { size: "standard-1x", concurrency: 4, boot_seconds: 10 } };
    const jobs = Array.from({ length: 24 }, (_, index) => ({ t: index * 2, queue: "default", duration: 6 }));
    await writeFile(tracePath, [header, ...jobs].map((line) => JSON.stringify(line)).join("\n"));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("prints the URLs, then depth, dynos and cost every few sim seconds until the trace is done", async () => {
    const result = await runCli(
      ["--trace", tracePath, "--speed", "40", "--port", "0", "--report-every", "5", "--quantity", "2", "--exit-when-done"],
      45_000,
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Platform API\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/ID \(OAuth\)\s+http:\/\/127\.0\.0\.1:\d+/);
    const reports = result.stdout.split("\n").filter((line) => line.startsWith("[sim t="));
    expect(reports.length).toBeGreaterThanOrEqual(5);
    for (const line of reports) {
      expect(line).toMatch(/depth=\d+ dynos up=\d+ booting=\d+ stopping=\d+ busy=\d+ cost=\$\d+\.\d{4}/);
    }
    expect(reports[0]).toMatch(/booting=2|up=2/);
    expect(result.stdout).toMatch(/trace complete: 24 jobs, 0 killed/);
  });
});
