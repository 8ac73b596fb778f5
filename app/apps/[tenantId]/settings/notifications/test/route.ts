import { NextResponse, type NextRequest } from "next/server";
import { handle } from "@/lib/http/handle";
import { sendNotification } from "@/lib/notifications/send-notification";
import { requireTenant } from "@/lib/tenants/tenant-access";

export const dynamic = "force-dynamic";

/** POST /apps/{id}/settings/notifications/test: sends a test notification to every channel set. */
export const POST = handle<{ tenantId: string }>(async (_request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const results = await sendNotification(
    { tenantId: tenant.id, kind: "failure", processType: null, message: "this is a test notification from the settings page", occurredAt: new Date() },
    { force: true },
  );
  return NextResponse.json({ results });
});
