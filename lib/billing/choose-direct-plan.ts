import { applySubscription } from "@/lib/billing/apply-subscription";
import { ensureStripeCustomer } from "@/lib/billing/ensure-stripe-customer";
import { plans, type PlanName } from "@/lib/billing/plans";
import { requireBillingOwner } from "@/lib/billing/require-billing-owner";
import { stripeClient } from "@/lib/billing/stripe-client";
import { stripePriceIdFor } from "@/lib/billing/stripe-prices";
import { freshStateAt } from "@/lib/billing/stripe-events/event-context";
import { subscriptionSchema } from "@/lib/billing/stripe-events/event-schemas";
import { withAllItems } from "@/lib/billing/stripe-events/with-all-items";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { webRedis } from "@/lib/redis/connection";
import type { TenantAccess } from "@/lib/tenants/tenant-access";

/** Subscription states in which items can be added or changed without a new Checkout. */
const liveStatuses = new Set(["active", "trialing", "past_due"]);

/**
 * A direct app's owner picks a plan. The first paid app goes through Stripe Checkout (the
 * answer is Checkout's URL); once the customer has a subscription, the app's item is added,
 * re-priced or removed on it directly (prorated by Stripe) and the app moves at once. The free
 * plan removes the app's item. Returns where to send the browser.
 */
export async function chooseDirectPlan(access: TenantAccess, plan: PlanName): Promise<{ redirectUrl: string }> {
  const owner = await requireBillingOwner(access);
  const billingPage = new URL(`/apps/${owner.tenantId}/billing`, env().APP_URL);
  const stripe = stripeClient();
  const priceId = plan === "hobby" ? null : stripePriceIdFor(plan);
  const customer = await ensureStripeCustomer(stripe, owner);
  const current = await db.tenantSubscription.findFirst({
    where: { tenantId: owner.tenantId, customerId: customer.customerId },
    select: { subscriptionId: true, subscriptionItemId: true, status: true },
  });

  const subscription = customer.subscriptionId
    ? await withAllItems(() => stripe, subscriptionSchema.parse(await stripe.subscriptions.retrieve(customer.subscriptionId)))
    : null;
  if (!subscription || !liveStatuses.has(subscription.status)) {
    if (!priceId) return { redirectUrl: `${billingPage}?plan=hobby` };
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.customerId,
      client_reference_id: owner.tenantId,
      line_items: [{ price: priceId, quantity: 1 }],
      metadata: { tenant_id: owner.tenantId, plan },
      success_url: `${billingPage}?checkout=success`,
      cancel_url: `${billingPage}?checkout=cancelled`,
    });
    if (!session.url) throw new AppError("unavailable", "Stripe did not return a Checkout page");
    return { redirectUrl: session.url };
  }

  const itemId = current?.subscriptionId === subscription.id ? current.subscriptionItemId : null;
  if (itemId && priceId) {
    await stripe.subscriptionItems.update(itemId, { price: priceId, proration_behavior: "create_prorations" });
  } else if (itemId && subscription.items.data.length > 1) {
    await stripe.subscriptionItems.del(itemId, { proration_behavior: "create_prorations" });
  } else if (itemId) {
    // Stripe keeps no subscription without items: the last paid app going free ends it.
    await stripe.subscriptions.cancel(subscription.id, { prorate: true });
  } else if (priceId) {
    await stripe.subscriptionItems.create({
      subscription: subscription.id,
      price: priceId,
      quantity: 1,
      metadata: { tenant_id: owner.tenantId },
      proration_behavior: "create_prorations",
    });
  }

  // Apply Stripe's new state now rather than waiting for the webhook, which then changes nothing.
  const now = new Date();
  const updated = subscriptionSchema.parse(await stripe.subscriptions.retrieve(subscription.id));
  const complete = await withAllItems(() => stripe, updated);
  const touched = await db.$transaction((tx) => applySubscription(tx, complete, freshStateAt(now), now));
  for (const tenantId of touched) await syncTenantSchedule(webRedis(), tenantId);
  return { redirectUrl: `${billingPage}?plan=${plans[plan].name}` };
}
