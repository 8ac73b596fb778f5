import { db } from "@/lib/db/client";

/**
 * The add-on's shadow user (Heroku's add-on ownership model): the stand-in that a
 * resource-scoped SSO session signs in as. It belongs to its one tenant, is no person, and is
 * never linked to an account by email; it can sign in only through that tenant's SSO.
 */
export async function upsertShadowUser(tenantId: string) {
  return db.user.upsert({
    where: { shadowTenantId: tenantId },
    create: { shadowTenantId: tenantId, email: `sso-${tenantId}@shadow.ebbflow.invalid`, name: "Heroku single sign-on" },
    update: {},
    select: { id: true, email: true, name: true },
  });
}
