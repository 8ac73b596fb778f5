import { NextResponse, type NextRequest } from "next/server";
import { removeRuleRequestSchema } from "@/lib/dashboard/save-process-rule";
import { removeQueueSource } from "@/lib/dashboard/save-queue-source";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/sources/remove: forgets a process type's queue source. */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const { processType } = await readJson(request, removeRuleRequestSchema);
  return NextResponse.json(await removeQueueSource(tenant.id, processType));
});
