import { reconcileSchedules } from "@/lib/checks/reconcile-schedules";
import { checkRuntime } from "@/worker/check-runtime";
import { defineJob } from "@/worker/job";

/** Upkeep: makes the check schedule in Redis match the tenants in Postgres (heals a flush). */
export const reconcileSchedulesJob = defineJob("reconcile-schedules", async (_payload, { log }) => {
  const result = await reconcileSchedules(checkRuntime().redis);
  if (result.added + result.removed + result.rescheduled > 0) log.info(result, "reconciled check schedules");
  return result;
});
