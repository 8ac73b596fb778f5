import { keepWebhookSubscriptions } from "@/lib/heroku-webhooks/keep-webhooks";
import { defineJob } from "@/worker/job";

/** Upkeep: every add-on tenant's webhook subscription exists, works, and old receipts go. */
export const keepWebhooksJob = defineJob("keep-webhooks", async (_payload, { log }) => {
  const result = await keepWebhookSubscriptions();
  if (result.checked + result.purged > 0) log.info(result, "kept webhook subscriptions");
  return result;
});
