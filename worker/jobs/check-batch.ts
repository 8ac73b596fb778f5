import { runCheckBatch } from "@/lib/checks/run-check-batch";
import { checkRuntime } from "@/worker/check-runtime";
import { defineJob } from "@/worker/job";

/** Runs a batch of due checks that a dispatcher claimed. */
export const checkBatchJob = defineJob("check-batch", async ({ checks }) => {
  const results = await runCheckBatch(checks, checkRuntime());
  return { checked: results.length };
});
