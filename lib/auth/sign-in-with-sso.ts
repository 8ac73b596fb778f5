import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { upsertUser } from "@/lib/auth/upsert-user";
import type { SessionClaims } from "@/lib/auth/session-token";
import type { VerifiedSso } from "@/lib/auth/sso";

/**
 * Turns a verified SSO request into a session: the user (found by email) becomes a member of
 * the add-on's tenant. Heroku only lets an app's collaborators open its add-ons, so a valid
 * SSO token is proof of access.
 */
export async function signInWithSso(sso: VerifiedSso): Promise<SessionClaims> {
  if (!sso.email) throw new AppError("forbidden", "Single sign-on request carries no email address");
  const tenant = await db.tenant.findFirst({
    where: { herokuResourceId: sso.resourceId, state: { not: "deprovisioned" } },
    select: { id: true },
  });
  if (!tenant) throw new AppError("not_found", "No such add-on resource");

  const user = await upsertUser({ email: sso.email, herokuUserId: sso.herokuUserId });
  const { count } = await db.membership.createMany({
    data: [{ tenantId: tenant.id, userId: user.id, role: "member" }],
    skipDuplicates: true,
  });
  if (count === 1) {
    await recordAudit({ tenantId: tenant.id, actor: user.email, action: "membership.created", details: { via: "sso" } });
  }
  await recordAudit({ tenantId: tenant.id, actor: user.email, action: "session.sso" });
  return { sub: user.id, email: user.email, name: user.name, via: "sso", ssoTenantId: tenant.id };
}
