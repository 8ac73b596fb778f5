import { z } from "zod";
import { applySubscription } from "@/lib/billing/apply-subscription";
import { planForStripePrice } from "@/lib/billing/stripe-prices";
import { freshStateAt, type StripeEventHandler } from "@/lib/billing/stripe-events/event-context";
import { checkoutSessionSchema, subscriptionSchema } from "@/lib/billing/stripe-events/event-schemas";
import { withAllItems } from "@/lib/billing/stripe-events/with-all-items";

const tenantIdSchema = z.uuid();

/**
 * Checkout finished: the customer's new subscription pays for the app named in the session.
 * Its item is tagged with the app's id, so every later event about it names the app, and the
 * app moves to the plan it paid for.
 */
export const handleCheckoutSessionCompleted: StripeEventHandler = async (object, context) => {
  const session = checkoutSessionSchema.parse(object);
  const tenantId = session.metadata.tenant_id ?? session.client_reference_id;
  if (session.mode !== "subscription" || !session.subscription || !tenantIdSchema.safeParse(tenantId).success) {
    return context.commit(async () => []);
  }
  const stripe = context.stripe();
  const retrieved = subscriptionSchema.parse(await stripe.subscriptions.retrieve(session.subscription));
  const subscription = await withAllItems(context.stripe, retrieved);
  const untagged = subscription.items.data.find((item) => !item.metadata.tenant_id && planForStripePrice(item.price.id));
  if (untagged && tenantId) {
    await stripe.subscriptionItems.update(untagged.id, { metadata: { tenant_id: tenantId } });
    untagged.metadata = { ...untagged.metadata, tenant_id: tenantId };
  }
  const stateAt = freshStateAt(context.now);
  await context.commit((tx) => applySubscription(tx, subscription, stateAt, context.now));
};
