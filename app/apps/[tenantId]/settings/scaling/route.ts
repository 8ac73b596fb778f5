import { NextResponse, type NextRequest } from "next/server";
import { scalingSettingsSchema, updateScalingSettings } from "@/lib/dashboard/update-scaling-settings";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/settings/scaling: pause or resume autoscaling, dry run on or off. */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const body = await readJson(request, scalingSettingsSchema);
  return NextResponse.json(await updateScalingSettings(tenant.id, body));
});
