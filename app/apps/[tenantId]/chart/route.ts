import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { chartRangeSchema } from "@/lib/dashboard/chart-ranges";
import { loadOverview } from "@/lib/dashboard/load-overview";
import { handle } from "@/lib/http/handle";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

const querySchema = z.object({ range: chartRangeSchema });

/** GET /apps/{id}/chart?range=6h: the overview's charts and decisions, polled while it is open. */
export const GET = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const { range } = querySchema.parse({ range: request.nextUrl.searchParams.get("range") ?? undefined });
  const data = await loadOverview(tenant.id, range);
  return NextResponse.json(data, { headers: { "cache-control": "no-store" } });
});
