import { NextResponse, type NextRequest } from "next/server";
import { removeProcessRule, removeRuleRequestSchema } from "@/lib/dashboard/save-process-rule";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/rules/remove: stops autoscaling a process type and forgets its rule. */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const { processType } = await readJson(request, removeRuleRequestSchema);
  return NextResponse.json(await removeProcessRule(tenant.id, processType));
});
