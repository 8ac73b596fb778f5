import { NextResponse, type NextRequest } from "next/server";
import { sourceRequestSchema } from "@/lib/dashboard/queue-source-request";
import { testQueueSource } from "@/lib/dashboard/test-queue-source";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { limitRate } from "@/lib/redis/limit-rate";
import { webRedis } from "@/lib/redis/connection";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/**
 * POST /apps/{id}/sources/test: "test connection", live readings or the probe's error. Each
 * test opens a connection to a host the customer names, so an app gets 20 a minute (429 after).
 */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  await limitRate(webRedis(), { key: `source-tests:${tenant.id}`, limit: 20, windowSeconds: 60, what: "connection tests" });
  const body = await readJson(request, sourceRequestSchema);
  return NextResponse.json(await testQueueSource(tenant.id, body));
});
