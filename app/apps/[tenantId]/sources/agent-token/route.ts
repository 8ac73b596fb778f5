import { NextResponse, type NextRequest } from "next/server";
import { rotateAgentToken } from "@/lib/dashboard/rotate-agent-token";
import { handle } from "@/lib/http/handle";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/sources/agent-token: a new push agent token, shown once in the answer. */
export const POST = handle<{ tenantId: string }>(async (_request: NextRequest, { params }) => {
  const { tenant, session } = await requireTenant(params.tenantId, { role: "owner" });
  const rotated = await rotateAgentToken(tenant.id, session.email);
  return NextResponse.json(rotated, { headers: { "cache-control": "no-store" } });
});
