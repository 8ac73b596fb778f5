import { checksQueue } from "@/lib/checks/trigger-check";
import { disconnectDb } from "@/lib/db/client";
import { closeQueue } from "@/lib/jobs/enqueue";
import { disconnectWebRedis } from "@/lib/redis/connection";
import { log } from "@/lib/log";
import type { JobRegistry } from "@/worker/registry";
import { startWorker } from "@/worker/start";

/**
 * Runs a worker process until SIGTERM or SIGINT: then stops taking jobs, waits for the ones
 * in flight (Heroku allows 30 s before SIGKILL), and exits 0.
 */
export async function runWorkerProcess(registry: JobRegistry): Promise<void> {
  const started = await startWorker({ registry });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker stopping: finishing jobs in flight");
    try {
      await started.close();
      await Promise.all([closeQueue(), checksQueue().close(), disconnectWebRedis(), disconnectDb()]);
      log.info("worker stopped");
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, "worker did not stop cleanly");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
