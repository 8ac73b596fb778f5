import type Stripe from "stripe";
import { db } from "@/lib/db/client";
import type { BillingOwner } from "@/lib/billing/require-billing-owner";

/**
 * The user's Stripe customer, created on first use: one per user, paying for all the apps
 * they connected. Stripe's idempotency key makes concurrent first uses create one customer;
 * the row's unique user id keeps one record of it.
 */
export async function ensureStripeCustomer(stripe: Stripe, owner: BillingOwner): Promise<{ customerId: string; subscriptionId: string | null }> {
  const existing = await db.stripeCustomer.findUnique({
    where: { userId: owner.userId },
    select: { customerId: true, subscriptionId: true },
  });
  if (existing) return existing;
  const customer = await stripe.customers.create(
    { email: owner.email, name: owner.name ?? undefined, metadata: { user_id: owner.userId } },
    { idempotencyKey: `ebbflow-customer-${owner.userId}` },
  );
  await db.stripeCustomer.createMany({ data: [{ userId: owner.userId, customerId: customer.id }], skipDuplicates: true });
  return db.stripeCustomer.findUniqueOrThrow({ where: { userId: owner.userId }, select: { customerId: true, subscriptionId: true } });
}
