import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { handle } from "@/lib/http/handle";
import { completeScalingAuthorization } from "@/lib/tenants/authorize-scaling";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** Where "Authorize scaling" lands after Heroku: the new authorization goes to this app. */
export const GET = handle<{ tenantId: string }>(async (_request, { params }) => {
  const access = await requireTenant(params.tenantId);
  await completeScalingAuthorization(access);
  return NextResponse.redirect(new URL(`/apps/${access.tenant.id}?authorized=1`, env().APP_URL), 303);
});
