import { z } from "zod";
import { getSession } from "@/lib/auth/get-session";
import type { SessionClaims } from "@/lib/auth/session-token";
import { db } from "@/lib/db/client";
import type { MemberRole } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { checkMembersIfStale } from "@/lib/tenants/check-members";

const tenantIdSchema = z.uuid();

/** What every tenant-scoped page and handler gets about the app it works on. */
export const tenantSelect = {
  id: true,
  channel: true,
  appName: true,
  herokuAppId: true,
  herokuResourceId: true,
  plan: true,
  state: true,
  paused: true,
  dryRun: true,
  lastError: true,
  lastCheckAt: true,
  lastGoodCheckAt: true,
  createdAt: true,
} as const;

export interface TenantAccess {
  session: SessionClaims;
  tenant: Omit<NonNullable<Awaited<ReturnType<typeof findMemberTenant>>>, "memberships" | "membersCheckedAt">;
  /** The signed-in user's role in this tenant. */
  role: MemberRole;
}

export interface TenantAccessOptions {
  /** "owner": destructive and billing actions (disconnect, agent token, plan and payment). */
  role?: MemberRole;
}

function findMemberTenant(tenantId: string, userId: string) {
  return db.tenant.findFirst({
    where: { id: tenantId, state: { not: "deprovisioned" }, memberships: { some: { userId } } },
    select: { ...tenantSelect, membersCheckedAt: true, memberships: { where: { userId }, select: { role: true } } },
  });
}

/**
 * The one guard for tenant-scoped routes, pages and actions: the signed-in user must be a
 * member of the tenant, checked in the same query that reads it, and a member Heroku still
 * grants the app to (checked against Heroku when the last check is stale). No session → 401;
 * not a member, no such tenant, or removed → 404 (another tenant's app does not exist for
 * you); a member where the owner is needed → 403.
 */
export async function requireTenant(tenantId: string, options: TenantAccessOptions = {}): Promise<TenantAccess> {
  const session = await getSession();
  if (!session) throw new AppError("unauthorized", "Sign in to see this app");
  if (!tenantIdSchema.safeParse(tenantId).success) throw new AppError("not_found", "No such app");
  // A resource-scoped SSO session proves access to the one add-on it came from, nothing else.
  if (session.resourceScoped && session.ssoTenantId !== tenantId) throw new AppError("not_found", "No such app");
  let found = await findMemberTenant(tenantId, session.sub);
  if (found && (await checkMembersIfStale(found.id, found.membersCheckedAt))) {
    found = await findMemberTenant(tenantId, session.sub);
  }
  const role = found?.memberships[0]?.role;
  if (!found || !role) throw new AppError("not_found", "No such app");
  const { memberships: _memberships, membersCheckedAt: _checkedAt, ...tenant } = found;
  if (options.role === "owner" && role !== "owner") {
    throw new AppError("forbidden", `Only an owner of ${tenant.appName} can do this.`);
  }
  return { session, tenant, role };
}
