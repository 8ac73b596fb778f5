import { NextResponse, type NextRequest } from "next/server";
import { disconnectApp, disconnectRequestSchema } from "@/lib/dashboard/disconnect-app";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/settings/disconnect: disconnects a directly connected app (history kept 30 days). */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant, session } = await requireTenant(params.tenantId, { role: "owner" });
  const { confirmAppName } = await readJson(request, disconnectRequestSchema);
  await disconnectApp(tenant.id, confirmAppName, session.email);
  return NextResponse.json({ disconnected: true });
});
