import { NextResponse } from "next/server";
import { openBillingPortal } from "@/lib/billing/open-billing-portal";
import { handle } from "@/lib/http/handle";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{tenantId}/billing/portal: 303 to Stripe's customer portal for the app's owner. */
export const POST = handle<{ tenantId: string }>(async (_request, { params }) => {
  const access = await requireTenant(params.tenantId, { role: "owner" });
  const { redirectUrl } = await openBillingPortal(access);
  return NextResponse.redirect(redirectUrl, 303);
});
