import { ensureStripeCustomer } from "@/lib/billing/ensure-stripe-customer";
import { requireBillingOwner } from "@/lib/billing/require-billing-owner";
import { stripeClient } from "@/lib/billing/stripe-client";
import { env } from "@/lib/env";
import type { TenantAccess } from "@/lib/tenants/tenant-access";

/**
 * Stripe's customer portal for the app's owner: card, invoices, cancelling. Returns the
 * portal session's URL; the portal sends the customer back to the app's billing page.
 */
export async function openBillingPortal(access: TenantAccess): Promise<{ redirectUrl: string }> {
  const owner = await requireBillingOwner(access);
  const stripe = stripeClient();
  const customer = await ensureStripeCustomer(stripe, owner);
  const session = await stripe.billingPortal.sessions.create({
    customer: customer.customerId,
    return_url: new URL(`/apps/${owner.tenantId}/billing`, env().APP_URL).toString(),
  });
  return { redirectUrl: session.url };
}
