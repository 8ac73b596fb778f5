import { log } from "@/lib/log";
import { jobs } from "@/worker/registry";
import { runWorkerProcess } from "@/worker/run";

runWorkerProcess(jobs).catch((error: unknown) => {
  log.fatal({ err: error }, "worker failed to start");
  process.exit(1);
});
