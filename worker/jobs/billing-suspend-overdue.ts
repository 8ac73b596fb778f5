import { suspendOverdueTenants } from "@/lib/billing/suspend-overdue-tenants";
import { defineJob } from "@/worker/job";

/** Billing upkeep: pauses autoscaling for apps whose grace period after a failed payment ended. */
export const billingSuspendOverdueJob = defineJob("billing-suspend-overdue", async (_payload, { log }) => {
  const suspended = await suspendOverdueTenants();
  if (suspended.length > 0) log.info({ suspended }, "paused autoscaling for unpaid apps");
  return { suspended: suspended.length };
});
