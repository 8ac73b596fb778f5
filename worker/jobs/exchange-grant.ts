import { UnrecoverableError } from "bullmq";
import { exchangeGrant } from "@/lib/tenants/exchange-grant";
import { defineJob } from "@/worker/job";

/** Enqueued by provisioning: swaps the add-on's oauth_grant for tokens within seconds. */
export const exchangeGrantJob = defineJob("exchange-grant", async ({ tenantId }, { log }) => {
  const outcome = await exchangeGrant(tenantId);
  log.info({ tenantId, outcome }, "add-on grant exchange");
  if (outcome === "grant-refused") throw new UnrecoverableError("Heroku refused the add-on's grant");
  return outcome;
});
