import { runCheckBatch } from "@/lib/checks/run-check-batch";
import { checkRuntime } from "@/worker/check-runtime";
import { defineJob } from "@/worker/job";

/** Checks one tenant at once: a push report asked for more dynos. */
export const checkNowJob = defineJob("check-now", async ({ tenantId, requestedAtMs }) => {
  const results = await runCheckBatch([{ tenantId, dueAtMs: requestedAtMs }], checkRuntime());
  return { checked: results.length };
});
