import { NextResponse, type NextRequest } from "next/server";
import { sourceRequestSchema } from "@/lib/dashboard/queue-source-request";
import { saveQueueSource } from "@/lib/dashboard/save-queue-source";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/sources/save: creates or replaces a process type's queue source (URL sealed). */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const body = await readJson(request, sourceRequestSchema);
  return NextResponse.json(await saveQueueSource(tenant.id, body));
});
