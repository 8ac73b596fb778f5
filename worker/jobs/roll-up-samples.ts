import { rollUpSamples } from "@/lib/checks/roll-up-samples";
import { defineJob } from "@/worker/job";

/** Upkeep: creates the coming days' sample partitions, folds old samples into per-minute and per-hour rows, drops expired ones. */
export const rollUpSamplesJob = defineJob("roll-up-samples", async (_payload, { log }) => {
  const result = await rollUpSamples();
  if (result.rawFolded + result.minutesFolded + result.expired + result.partitionsCreated.length + result.partitionsDropped.length > 0) {
    log.info(result, "rolled up metric samples");
  }
  return result;
});
