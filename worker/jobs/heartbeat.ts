import { z } from "zod";
import { recordHeartbeat } from "@/lib/workers/record-heartbeat";
import { defineJob } from "@/worker/job";
import { currentWorker } from "@/worker/identity";

/** Records that the worker which ran it is alive; scheduled every few seconds per process. */
export const heartbeatJob = defineJob({
  name: "heartbeat",
  payload: z.object({}).strict(),
  handle: async () => {
    await recordHeartbeat(currentWorker());
  },
});
