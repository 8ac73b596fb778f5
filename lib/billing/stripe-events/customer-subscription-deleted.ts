import { applySubscription } from "@/lib/billing/apply-subscription";
import type { StripeEventHandler } from "@/lib/billing/stripe-events/event-context";
import { subscriptionSchema } from "@/lib/billing/stripe-events/event-schemas";

/** The subscription ended: every app it paid for goes back to the free plan. */
export const handleCustomerSubscriptionDeleted: StripeEventHandler = async (object, context) => {
  const subscription = subscriptionSchema.parse(object);
  await context.commit((tx) => applySubscription(tx, subscription, context.eventAt, context.now, "canceled"));
};
