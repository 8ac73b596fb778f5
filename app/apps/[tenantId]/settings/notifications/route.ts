import { NextResponse, type NextRequest } from "next/server";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { notificationSettingsRequestSchema, saveNotificationSettings } from "@/lib/notifications/notification-settings";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/settings/notifications: who hears about failures and hitting max. */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const body = await readJson(request, notificationSettingsRequestSchema);
  return NextResponse.json(await saveNotificationSettings(tenant.id, body));
});
