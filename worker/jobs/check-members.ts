import { checkStaleMembers } from "@/lib/tenants/check-members";
import { defineJob } from "@/worker/job";

/** Upkeep: ends the memberships Heroku no longer grants, for tenants nobody used lately. */
export const checkMembersJob = defineJob("check-members", async (_payload, { log }) => {
  const checked = await checkStaleMembers();
  if (checked > 0) log.info({ checked }, "checked tenants' members against Heroku");
  return { checked };
});
