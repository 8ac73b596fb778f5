import type Stripe from "stripe";
import { stripeClient } from "@/lib/billing/stripe-client";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { webRedis } from "@/lib/redis/connection";
import { handleCheckoutSessionCompleted } from "@/lib/billing/stripe-events/checkout-session-completed";
import { handleCustomerSubscriptionCreated } from "@/lib/billing/stripe-events/customer-subscription-created";
import { handleCustomerSubscriptionDeleted } from "@/lib/billing/stripe-events/customer-subscription-deleted";
import { handleCustomerSubscriptionUpdated } from "@/lib/billing/stripe-events/customer-subscription-updated";
import type { StripeEventContext, StripeEventHandler } from "@/lib/billing/stripe-events/event-context";
import type { StripeEventEnvelope } from "@/lib/billing/stripe-events/event-schemas";
import { handleInvoicePaid } from "@/lib/billing/stripe-events/invoice-paid";
import { handleInvoicePaymentFailed } from "@/lib/billing/stripe-events/invoice-payment-failed";

/** The events Ebbflow acts on; Stripe may send others (the endpoint's settings decide), which are acknowledged and ignored. */
const handlers: Record<string, StripeEventHandler> = {
  "checkout.session.completed": handleCheckoutSessionCompleted,
  "customer.subscription.created": handleCustomerSubscriptionCreated,
  "customer.subscription.updated": handleCustomerSubscriptionUpdated,
  "customer.subscription.deleted": handleCustomerSubscriptionDeleted,
  "invoice.paid": handleInvoicePaid,
  "invoice.payment_failed": handleInvoicePaymentFailed,
};

export type StripeEventOutcome = "processed" | "duplicate" | "ignored";

class AlreadyProcessed extends Error {}

/**
 * Processes one verified Stripe event exactly once. The event's id is inserted in the same
 * transaction as its changes (a unique key), so a replay, or two deliveries racing, apply it
 * once; the second sees "duplicate". Schedules follow after the commit.
 */
export async function processStripeEvent(
  event: StripeEventEnvelope,
  options: { now?: Date; stripe?: () => Stripe } = {},
): Promise<StripeEventOutcome> {
  const handler = handlers[event.type];
  if (!handler) return "ignored";
  const seen = await db.processedStripeEvent.findUnique({ where: { id: event.id }, select: { id: true } });
  if (seen) return "duplicate";

  const result: { outcome: StripeEventOutcome | null; touched: string[] } = { outcome: null, touched: [] };
  const commit: StripeEventContext["commit"] = async (changes) => {
    if (result.outcome) throw new Error(`${event.type} handler committed twice`);
    try {
      result.touched = await db.$transaction(async (tx) => {
        const { count } = await tx.processedStripeEvent.createMany({ data: [{ id: event.id, type: event.type }], skipDuplicates: true });
        if (count === 0) throw new AlreadyProcessed();
        return changes(tx);
      });
      result.outcome = "processed";
    } catch (error) {
      if (!(error instanceof AlreadyProcessed)) throw error;
      result.outcome = "duplicate";
    }
  };

  await handler(event.data.object, {
    eventAt: new Date(event.created * 1000),
    now: options.now ?? new Date(),
    stripe: options.stripe ?? stripeClient,
    commit,
  });
  if (!result.outcome) await commit(async () => []);

  for (const tenantId of new Set(result.touched)) {
    try {
      await syncTenantSchedule(webRedis(), tenantId);
    } catch (error) {
      // The change is committed; the schedule reconciler (every minute) brings Redis in line.
      log.warn({ err: error, tenantId, eventId: event.id }, "could not resync the check schedule after a billing change");
    }
  }
  return result.outcome ?? "processed";
}
