import { recordHeartbeat } from "@/lib/workers/record-heartbeat";
import { defineJob } from "@/worker/job";
import { currentWorker } from "@/worker/identity";

/** Records that the worker which ran it is alive; scheduled every few seconds. */
export const heartbeatJob = defineJob("heartbeat", async () => {
  await recordHeartbeat(currentWorker());
});
