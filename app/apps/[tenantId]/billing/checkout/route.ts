import { NextResponse } from "next/server";
import { chooseDirectPlan } from "@/lib/billing/choose-direct-plan";
import { readPlanChoice } from "@/lib/billing/read-plan-choice";
import { handle } from "@/lib/http/handle";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/**
 * POST /apps/{tenantId}/billing/checkout (`plan`): a direct app's owner picks a plan. 303 to
 * Stripe Checkout for the first paid app, else back to the billing page with the change made.
 */
export const POST = handle<{ tenantId: string }>(async (request, { params }) => {
  const access = await requireTenant(params.tenantId, { role: "owner" });
  const { plan } = await readPlanChoice(request);
  const { redirectUrl } = await chooseDirectPlan(access, plan);
  return NextResponse.redirect(redirectUrl, 303);
});
