import { z } from "zod";
import { billingNotice, type BillingNotice } from "@/lib/billing/billing-notice";
import { planOrHobby, type Plan } from "@/lib/billing/plans";
import { db } from "@/lib/db/client";
import type { BillingStatus } from "@/lib/db/generated/client";
import type { TenantAccess } from "@/lib/tenants/tenant-access";

const noticeDetailsSchema = z.object({ message: z.string() });

/** How far back the billing page lists billing notices (downgrades, suspensions). */
const NOTICE_DAYS = 90;

export interface BillingSummary {
  channel: "heroku" | "direct";
  plan: Plan;
  /** The signed-in user owns the app (and so its Stripe customer). */
  isOwner: boolean;
  status: BillingStatus | null;
  graceUntil: Date | null;
  banner: BillingNotice | null;
  notices: { action: string; message: string; occurredAt: Date }[];
}

/** What the billing page shows about an app's plan and payments; the tenant id is in every query. */
export async function getBillingSummary(access: TenantAccess): Promise<BillingSummary> {
  const { tenant, session } = access;
  const [subscription, owner, entries] = await Promise.all([
    db.tenantSubscription.findUnique({ where: { tenantId: tenant.id }, select: { status: true, graceUntil: true } }),
    db.membership.findFirst({ where: { tenantId: tenant.id, userId: session.sub, role: "owner" }, select: { id: true } }),
    db.auditLog.findMany({
      where: {
        tenantId: tenant.id,
        action: { startsWith: "billing." },
        occurredAt: { gte: new Date(Date.now() - NOTICE_DAYS * 86_400_000) },
      },
      select: { action: true, details: true, occurredAt: true },
      orderBy: { occurredAt: "desc" },
      take: 20,
    }),
  ]);
  const notices = entries.flatMap((entry) => {
    const details = noticeDetailsSchema.safeParse(entry.details);
    return details.success ? [{ action: entry.action, message: details.data.message, occurredAt: entry.occurredAt }] : [];
  });
  return {
    channel: tenant.channel,
    plan: planOrHobby(tenant.plan),
    isOwner: owner !== null,
    status: subscription?.status ?? null,
    graceUntil: subscription?.graceUntil ?? null,
    banner: billingNotice(subscription),
    notices,
  };
}
