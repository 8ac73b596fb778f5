import { sendNotification } from "@/lib/notifications/send-notification";
import { defineJob } from "@/worker/job";

/** Sends one notice (webhook, email) about a failed scale or an app at its maximum. */
export const notifyJob = defineJob("notify", async ({ tenantId, kind, processType, message, occurredAtMs }) => {
  const deliveries = await sendNotification({ tenantId, kind, processType, message, occurredAt: new Date(occurredAtMs) });
  return { deliveries: deliveries.length };
});
