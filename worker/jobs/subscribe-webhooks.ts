import { ensureWebhookSubscription } from "@/lib/heroku-webhooks/subscribe-webhooks";
import { defineJob } from "@/worker/job";

/** Enqueued once the add-on's grant is exchanged: subscribes the tenant to its add-on's webhooks. */
export const subscribeWebhooksJob = defineJob("subscribe-webhooks", async ({ tenantId }, { log }) => {
  const outcome = await ensureWebhookSubscription(tenantId);
  log.info({ tenantId, outcome }, "add-on webhook subscription");
  return outcome;
});
