import type { StripeEventHandler } from "@/lib/billing/stripe-events/event-context";
import { applyInvoiceOutcome } from "@/lib/billing/stripe-events/apply-invoice-outcome";

/**
 * A payment failed: the grace period starts (once; Stripe's retries do not extend it).
 * Autoscaling keeps running until it ends; the billing upkeep job pauses it then.
 */
export const handleInvoicePaymentFailed: StripeEventHandler = (object, context) =>
  applyInvoiceOutcome(object, context, "past_due");
