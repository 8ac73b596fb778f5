import { NextResponse } from "next/server";
import { startOAuthIntent } from "@/lib/auth/oauth-intent";
import { handle } from "@/lib/http/handle";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/authorize/start: begins "Authorize scaling"; answers the OAuth callback URL to use. */
export const POST = handle<{ tenantId: string }>(async (_request, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const intent = startOAuthIntent("authorize", tenant.id, `/apps/${tenant.id}/authorize/complete`);
  const response = NextResponse.json({ callbackUrl: intent.callbackUrl });
  response.cookies.set(intent.cookie.name, intent.cookie.value, intent.cookie.options);
  return response;
});
