import type { StripeEventHandler } from "@/lib/billing/stripe-events/event-context";
import { handleCustomerSubscriptionUpdated } from "@/lib/billing/stripe-events/customer-subscription-updated";

/**
 * A subscription was created. Items Checkout made are not tagged with an app yet (that
 * happens when the session completes), so this usually changes nothing; an app whose item is
 * already known is put on its plan, as for an update.
 */
export const handleCustomerSubscriptionCreated: StripeEventHandler = (object, context) =>
  handleCustomerSubscriptionUpdated(object, context);
