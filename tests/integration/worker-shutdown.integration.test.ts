import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { WORKER_PREFIX, WORKER_QUEUE } from "@/lib/jobs/queue-names";

const root = path.resolve(import.meta.dirname, "../..");

describe("worker process", () => {
  it("finishes the job in flight on SIGTERM, then exits 0", async () => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["tests/fixtures/slow-worker.ts"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const waitFor = async (text: string, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (Date.now() > deadline) throw new Error(`worker never printed "${text}":\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    await waitFor("worker started", 30_000);
    const marker = randomUUID();
    const queue = new Queue(WORKER_QUEUE, { connection: { host: "127.0.0.1", port: 6379 }, prefix: WORKER_PREFIX });
    const job = await queue.add("test-slow", { durationMs: 2000, marker });
    await waitFor(`started ${marker}`, 15_000);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain(`finished ${marker}`);
    expect(output.indexOf(`finished ${marker}`)).toBeLessThan(output.indexOf("worker stopped"));
    expect(await job.getState()).toBe("completed");
    await queue.close();
  });
});
