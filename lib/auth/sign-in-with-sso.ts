import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { upsertShadowUser } from "@/lib/auth/shadow-user";
import { upsertHerokuUser } from "@/lib/auth/upsert-user";
import { RESOURCE_SESSION_MAX_AGE_SECONDS, type SessionClaims } from "@/lib/auth/session-token";
import type { VerifiedSso } from "@/lib/auth/sso";

/**
 * Turns a verified SSO request into a session on the add-on's tenant. Heroku only lets an
 * app's collaborators open its add-ons, so a valid token is proof of access to that tenant:
 * - user-scoped: the Heroku user (by id) becomes a member; Heroku's collaborator list is then
 *   checked on use (lib/tenants/check-members.ts), so the membership ends when Heroku's does;
 * - resource-scoped: the token says nothing about who is asking, so the session is the
 *   tenant's shadow user's, reaches that tenant only, and is short (RESOURCE_SESSION_MAX_AGE).
 */
export async function signInWithSso(sso: VerifiedSso): Promise<SessionClaims> {
  const tenant = await db.tenant.findFirst({
    where: { herokuResourceId: sso.resourceId, state: { not: "deprovisioned" } },
    select: { id: true },
  });
  if (!tenant) throw new AppError("not_found", "No such add-on resource");

  const user =
    sso.scope === "user"
      ? await upsertHerokuUser({ herokuUserId: sso.herokuUserId, email: sso.email })
      : await upsertShadowUser(tenant.id);
  const { count } = await db.membership.createMany({
    data: [{ tenantId: tenant.id, userId: user.id, role: "member" }],
    skipDuplicates: true,
  });
  if (count === 1) {
    await recordAudit({ tenantId: tenant.id, actor: user.email, action: "membership.created", details: { via: "sso", scope: sso.scope } });
  }
  await recordAudit({ tenantId: tenant.id, actor: user.email, action: "session.sso", details: { scope: sso.scope } });
  return {
    sub: user.id,
    email: user.email,
    name: user.name,
    via: "sso",
    ssoTenantId: tenant.id,
    ...(sso.scope === "resource"
      ? { resourceScoped: true, notAfter: Math.floor(Date.now() / 1000) + RESOURCE_SESSION_MAX_AGE_SECONDS }
      : {}),
  };
}
