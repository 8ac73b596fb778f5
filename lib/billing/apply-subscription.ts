import { z } from "zod";
import { applyBillingStatus } from "@/lib/billing/apply-billing-status";
import { applyTenantPlan } from "@/lib/billing/apply-tenant-plan";
import { signalForSubscriptionStatus, type BillingSignal } from "@/lib/billing/billing-state";
import type { PlanName } from "@/lib/billing/plans";
import { planForStripePrice } from "@/lib/billing/stripe-prices";
import type { SubscriptionSnapshot } from "@/lib/billing/stripe-events/event-schemas";
import type { Prisma } from "@/lib/db/generated/client";
import { log } from "@/lib/log";

type Tx = Prisma.TransactionClient;

const tenantIdSchema = z.uuid();

/**
 * Makes Ebbflow's records match one Stripe subscription, in the caller's transaction: each
 * item tagged with an app (metadata `tenant_id`, or an item id Ebbflow already knows) puts that
 * app on the item's plan with the subscription's standing; an app whose item is gone falls back
 * to the free plan. Items only count for direct apps owned by the subscription's customer,
 * checked in the query that finds the app. `stateAt` is when Stripe's state was read: an app
 * whose records reflect a newer state is left alone. Returns the apps to reschedule.
 */
export async function applySubscription(
  tx: Tx,
  subscription: SubscriptionSnapshot,
  stateAt: Date,
  now: Date,
  forcedSignal?: BillingSignal,
): Promise<string[]> {
  const customerId = subscription.customer;
  const customer = await tx.stripeCustomer.findUnique({ where: { customerId }, select: { userId: true } });
  if (!customer) return [];
  const signal = forcedSignal ?? signalForSubscriptionStatus(subscription.status);
  if (signal === "canceled") {
    await tx.stripeCustomer.updateMany({ where: { customerId, subscriptionId: subscription.id }, data: { subscriptionId: null } });
  } else {
    await tx.stripeCustomer.update({ where: { customerId }, data: { subscriptionId: subscription.id } });
  }

  const known = await tx.tenantSubscription.findMany({
    where: { subscriptionId: subscription.id },
    select: { tenantId: true, subscriptionItemId: true, plan: true },
  });
  const touched = new Set<string>();
  const present = new Set<string>();
  for (const item of subscription.items.data) {
    const plan = planForStripePrice(item.price.id);
    const candidate = item.metadata.tenant_id ?? known.find((row) => row.subscriptionItemId === item.id)?.tenantId;
    if (!plan) {
      log.warn({ subscriptionId: subscription.id, priceId: item.price.id }, "subscription item at a price no plan sells (check STRIPE_PRICE_*)");
      continue;
    }
    if (!tenantIdSchema.safeParse(candidate).success) continue;
    const tenant = await tx.tenant.findFirst({
      where: { id: candidate, channel: "direct", memberships: { some: { userId: customer.userId, role: "owner" } } },
      select: { id: true },
    });
    if (!tenant) continue;
    present.add(tenant.id);
    const record = { tenantId: tenant.id, customerId, subscriptionId: subscription.id, subscriptionItemId: item.id, plan };
    if (await applyItem(tx, record, signal, stateAt, now)) touched.add(tenant.id);
  }
  for (const row of known) {
    if (present.has(row.tenantId)) continue;
    // The app's item is gone: it no longer belongs to this subscription and is on the free plan.
    const ended = { tenantId: row.tenantId, customerId, subscriptionId: null, subscriptionItemId: null, plan: "hobby" as const };
    if (await applyItem(tx, ended, "canceled", stateAt, now)) touched.add(row.tenantId);
  }
  return [...touched];
}

interface ItemRecord {
  tenantId: string;
  customerId: string;
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  plan: PlanName;
}

async function applyItem(tx: Tx, item: ItemRecord, signal: BillingSignal, stateAt: Date, now: Date): Promise<boolean> {
  const current = await tx.tenantSubscription.findUnique({ where: { tenantId: item.tenantId }, select: { stripeEventAt: true, subscriptionId: true } });
  if (current?.stripeEventAt && current.stripeEventAt > stateAt) return false;
  // An app that has moved to another subscription is not taken off it by the old one ending,
  // however late (or in whatever second) Stripe stamps that ending.
  const leftBehind = current?.subscriptionId && item.subscriptionId && current.subscriptionId !== item.subscriptionId;
  if (signal === "canceled" && leftBehind) return false;
  const fields = {
    customerId: item.customerId,
    subscriptionId: item.subscriptionId,
    subscriptionItemId: item.subscriptionItemId,
    plan: item.plan,
    stripeEventAt: stateAt,
  };
  await tx.tenantSubscription.upsert({ where: { tenantId: item.tenantId }, create: { tenantId: item.tenantId, ...fields }, update: fields });
  const pauseChanged = await applyBillingStatus(tx, item.tenantId, signal, now);
  if (signal === "incomplete") return pauseChanged;
  const planChanged = await applyTenantPlan(tx, item.tenantId, signal === "canceled" ? "hobby" : item.plan, "stripe");
  return pauseChanged || planChanged;
}
