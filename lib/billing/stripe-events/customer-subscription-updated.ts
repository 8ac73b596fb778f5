import { applySubscription } from "@/lib/billing/apply-subscription";
import type { StripeEventHandler } from "@/lib/billing/stripe-events/event-context";
import { subscriptionSchema } from "@/lib/billing/stripe-events/event-schemas";
import { withAllItems } from "@/lib/billing/stripe-events/with-all-items";

/**
 * A subscription changed (an item added, a plan's price swapped, an item removed, its status
 * moved): every app on it follows. The event carries the whole subscription, so applying it
 * is the same whatever changed.
 */
export const handleCustomerSubscriptionUpdated: StripeEventHandler = async (object, context) => {
  const subscription = await withAllItems(context.stripe, subscriptionSchema.parse(object));
  await context.commit((tx) => applySubscription(tx, subscription, context.eventAt, context.now));
};
