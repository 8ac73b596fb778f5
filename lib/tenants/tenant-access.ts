import { z } from "zod";
import { getSession } from "@/lib/auth/get-session";
import type { SessionClaims } from "@/lib/auth/session-token";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

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
  tenant: Awaited<ReturnType<typeof findMemberTenant>> & {};
}

function findMemberTenant(tenantId: string, userId: string) {
  return db.tenant.findFirst({
    where: { id: tenantId, state: { not: "deprovisioned" }, memberships: { some: { userId } } },
    select: tenantSelect,
  });
}

/**
 * The one guard for tenant-scoped routes, pages and actions: the signed-in user must be a
 * member of the tenant, checked in the same query that reads it. No session → 401; not a
 * member, no such tenant, or removed → 404 (another tenant's app does not exist for you).
 */
export async function requireTenant(tenantId: string): Promise<TenantAccess> {
  const session = await getSession();
  if (!session) throw new AppError("unauthorized", "Sign in to see this app");
  if (!tenantIdSchema.safeParse(tenantId).success) throw new AppError("not_found", "No such app");
  const tenant = await findMemberTenant(tenantId, session.sub);
  if (!tenant) throw new AppError("not_found", "No such app");
  return { session, tenant };
}
