import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { TenantAccess } from "@/lib/tenants/tenant-access";

export interface BillingOwner {
  tenantId: string;
  userId: string;
  email: string;
  name: string | null;
}

/**
 * Who may change how a direct app is paid for: its owner, whose Stripe customer pays.
 * Add-on apps are billed by Heroku (409 naming the command to use); other members get 403.
 * The membership is read with the tenant id in the query's `where`.
 */
export async function requireBillingOwner(access: TenantAccess): Promise<BillingOwner> {
  const { tenant, session } = access;
  if (tenant.channel !== "direct") {
    throw new AppError(
      "conflict",
      `${tenant.appName} is billed by Heroku through the add-on: change plans with \`heroku addons:upgrade ${env().HEROKU_ADDON_ID}:<plan> -a ${tenant.appName}\`.`,
    );
  }
  const membership = await db.membership.findFirst({
    where: { tenantId: tenant.id, userId: session.sub, role: "owner" },
    select: { user: { select: { id: true, email: true, name: true } } },
  });
  if (!membership) throw new AppError("forbidden", `Only the owner of ${tenant.appName} in Ebbflow can change its billing.`);
  return { tenantId: tenant.id, userId: membership.user.id, email: membership.user.email, name: membership.user.name };
}
