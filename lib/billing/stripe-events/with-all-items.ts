import type Stripe from "stripe";
import { subscriptionItemSchema, type SubscriptionSnapshot } from "@/lib/billing/stripe-events/event-schemas";

/**
 * A subscription with every item: events and retrieves list the first items only, and an
 * account with many apps has more, so the rest are paged in before anything is decided.
 */
export async function withAllItems(stripe: () => Stripe, subscription: SubscriptionSnapshot): Promise<SubscriptionSnapshot> {
  if (!subscription.items.has_more) return subscription;
  const data: SubscriptionSnapshot["items"]["data"] = [];
  for await (const item of stripe().subscriptionItems.list({ subscription: subscription.id, limit: 100 })) {
    data.push(subscriptionItemSchema.parse(item));
  }
  return { ...subscription, items: { data, has_more: false } };
}
