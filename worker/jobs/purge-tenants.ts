import { purgeExpiredTenants } from "@/lib/tenants/deprovision-tenant";
import { defineJob } from "@/worker/job";

/** Upkeep: deletes removed apps whose history was kept long enough. */
export const purgeTenantsJob = defineJob("purge-tenants", async (_payload, { log }) => {
  const purged = await purgeExpiredTenants();
  if (purged > 0) log.info({ purged }, "purged removed tenants");
  return { purged };
});
