import { NextResponse, type NextRequest } from "next/server";
import { sourceRequestSchema } from "@/lib/dashboard/queue-source-request";
import { testQueueSource } from "@/lib/dashboard/test-queue-source";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/sources/test: "test connection", live readings or the probe's error. */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const body = await readJson(request, sourceRequestSchema);
  return NextResponse.json(await testQueueSource(tenant.id, body));
});
