import { NextResponse, type NextRequest } from "next/server";
import { saveProcessRule, saveRuleRequestSchema } from "@/lib/dashboard/save-process-rule";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/rules/save: creates or replaces one process type's rule (422 names a bad field). */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const body = await readJson(request, saveRuleRequestSchema);
  return NextResponse.json(await saveProcessRule(tenant.id, body));
});
