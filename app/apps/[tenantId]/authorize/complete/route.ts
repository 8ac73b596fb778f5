import { NextResponse } from "next/server";
import { checkOAuthIntent, OAUTH_INTENT_COOKIE } from "@/lib/auth/oauth-intent";
import { env } from "@/lib/env";
import { handle } from "@/lib/http/handle";
import { completeScalingAuthorization } from "@/lib/tenants/authorize-scaling";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/**
 * Where "Authorize scaling" lands after Heroku: the new authorization goes to this app, only
 * when this browser started the round trip for this app (403 otherwise: a link from elsewhere
 * cannot attach an authorization to an app).
 */
export const GET = handle<{ tenantId: string }>(async (request, { params }) => {
  const access = await requireTenant(params.tenantId);
  checkOAuthIntent(request.cookies, request.nextUrl.searchParams.get("intent"), "authorize", access.tenant.id);
  await completeScalingAuthorization(access);
  const response = NextResponse.redirect(new URL(`/apps/${access.tenant.id}?authorized=1`, env().APP_URL), 303);
  response.cookies.delete(OAUTH_INTENT_COOKIE);
  return response;
});
