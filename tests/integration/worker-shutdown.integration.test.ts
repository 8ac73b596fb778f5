import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { WORKER_PREFIX, WORKER_QUEUE } from "@/lib/jobs/queue-names";
import { spawnWorker } from "../helpers/worker-process";

describe("worker process", () => {
  it("finishes the job in flight on SIGTERM, then exits 0", { timeout: 120_000 }, async () => {
    const worker = spawnWorker({ NODE_ENV: "test" }, "tests/fixtures/slow-worker.ts");
    // A worker left running after a failed assertion would take other tests' jobs for as long
    // as the machine runs.
    try {
      await worker.waitFor("worker started", 60_000);
      const marker = randomUUID();
      const queue = new Queue(WORKER_QUEUE, { connection: { host: "127.0.0.1", port: 6379 }, prefix: WORKER_PREFIX });
      // Other test files leave upkeep jobs in the shared queue (grants, webhook subscriptions
      // retrying against a refused port): LIFO makes this job the next one taken, whatever is
      // left there, and the wait allows for a busy machine.
      const job = await queue.add("test-slow", { durationMs: 2000, marker }, { lifo: true });
      await worker.waitFor(`started ${marker}`, 60_000);

      worker.child.kill("SIGTERM");
      expect(await worker.exited, worker.output()).toBe(0);
      const output = worker.output();
      expect(output).toContain(`finished ${marker}`);
      expect(output.indexOf(`finished ${marker}`)).toBeLessThan(output.indexOf("worker stopped"));
      expect(await job.getState()).toBe("completed");
      await queue.close();
    } finally {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
    }
  });
});
