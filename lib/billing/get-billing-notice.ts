import { db } from "@/lib/db/client";
import { billingNotice, type BillingNotice } from "@/lib/billing/billing-notice";

/** The payment banner for a tenant's pages, or null (add-on apps are billed by Heroku). */
export async function getBillingNotice(tenantId: string): Promise<BillingNotice | null> {
  const subscription = await db.tenantSubscription.findUnique({
    where: { tenantId },
    select: { status: true, graceUntil: true },
  });
  return billingNotice(subscription);
}
