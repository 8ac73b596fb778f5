import { applyBillingStatus } from "@/lib/billing/apply-billing-status";
import type { StripeEventContext } from "@/lib/billing/stripe-events/event-context";
import { invoiceSchema } from "@/lib/billing/stripe-events/event-schemas";

/**
 * An invoice of a subscription was paid or failed: every app that subscription pays for moves
 * with it (apps whose item is gone are no longer billed by it and stay as they are). An app
 * whose records reflect a newer Stripe event is left alone, so late delivery cannot undo a
 * payment.
 */
export async function applyInvoiceOutcome(object: unknown, context: StripeEventContext, outcome: "active" | "past_due"): Promise<void> {
  const invoice = invoiceSchema.parse(object);
  const subscriptionId = invoice.subscriptionId;
  await context.commit(async (tx) => {
    if (!subscriptionId) return [];
    const rows = await tx.tenantSubscription.findMany({
      where: { subscriptionId, subscriptionItemId: { not: null }, status: { not: "canceled" } },
      select: { tenantId: true, stripeEventAt: true },
    });
    const touched: string[] = [];
    for (const row of rows) {
      if (row.stripeEventAt && row.stripeEventAt > context.eventAt) continue;
      await tx.tenantSubscription.update({ where: { tenantId: row.tenantId }, data: { stripeEventAt: context.eventAt } });
      if (await applyBillingStatus(tx, row.tenantId, outcome, context.now)) touched.push(row.tenantId);
    }
    return touched;
  });
}
