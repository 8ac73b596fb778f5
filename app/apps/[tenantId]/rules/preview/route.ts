import { NextResponse, type NextRequest } from "next/server";
import { previewRequestSchema, previewRule } from "@/lib/dashboard/preview-rule";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/rules/preview: what a rule would have done over the last 24 h of samples. */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const { rule } = await readJson(request, previewRequestSchema);
  return NextResponse.json(await previewRule(tenant.id, rule));
});
