import type { StripeEventHandler } from "@/lib/billing/stripe-events/event-context";
import { applyInvoiceOutcome } from "@/lib/billing/stripe-events/apply-invoice-outcome";

/** Paid: the grace period ends, and apps that billing paused resume autoscaling. */
export const handleInvoicePaid: StripeEventHandler = (object, context) => applyInvoiceOutcome(object, context, "active");
