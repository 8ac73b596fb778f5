import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { readAppAccess } from "@/lib/heroku/app-access";
import { log } from "@/lib/log";

/**
 * How old a tenant's members check may be when one of them uses the dashboard: someone removed
 * from the app on Heroku loses access on their first use 5 minutes after the last check at
 * most. The upkeep job (every 5 minutes) checks the tenants nobody used, so the membership
 * row itself ends within 10 minutes.
 */
export const MEMBERS_CHECK_MAX_AGE_MS = 5 * 60_000;

/** On use: checks when the last check is older than MEMBERS_CHECK_MAX_AGE_MS. True when it checked. */
export async function checkMembersIfStale(tenantId: string, checkedAt: Date | null, now: Date = new Date()): Promise<boolean> {
  if (checkedAt && now.getTime() - checkedAt.getTime() < MEMBERS_CHECK_MAX_AGE_MS) return false;
  return checkMembers(tenantId, MEMBERS_CHECK_MAX_AGE_MS, now);
}

/**
 * Ends the memberships Heroku no longer grants: a member whose Heroku user id is neither the
 * app's owner nor among its collaborators, or who has no Heroku identity at all, is removed.
 * For add-on apps, the app's owners on Heroku are owners here and nobody else is. Shadow
 * users (resource-scoped SSO) are left alone: their sessions last 10 minutes. Claims the check
 * first (one request or job per tenant at a time); when Heroku cannot be asked, nothing is
 * ended and the next check comes after the usual interval. True when it ran.
 */
export async function checkMembers(tenantId: string, maxAgeMs: number, now: Date = new Date()): Promise<boolean> {
  const staleBefore = new Date(now.getTime() - maxAgeMs);
  const { count } = await db.tenant.updateMany({
    where: { id: tenantId, state: { not: "deprovisioned" }, OR: [{ membersCheckedAt: null }, { membersCheckedAt: { lte: staleBefore } }] },
    data: { membersCheckedAt: now },
  });
  if (count === 0) return false;
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { channel: true, herokuAppId: true } });
  if (!tenant.herokuAppId) return true;
  const access = await readAppAccess(tenantId, tenant.herokuAppId, tenant.channel === "heroku" ? ["addon", "scaling"] : ["scaling"]);
  if (!access) {
    log.warn({ tenantId }, "members not checked: no Heroku token can read the app");
    return true;
  }

  const granted = [...access.userIds];
  const ended = await db.membership.findMany({
    where: { tenantId, user: { shadowTenantId: null, OR: [{ herokuUserId: null }, { herokuUserId: { notIn: granted } }] } },
    select: { id: true, role: true, user: { select: { email: true } } },
  });
  if (ended.length > 0) {
    await db.$transaction(async (tx) => {
      await tx.membership.deleteMany({ where: { tenantId, id: { in: ended.map((membership) => membership.id) } } });
      for (const membership of ended) {
        await recordAudit(
          { tenantId, actor: "heroku", action: "membership.ended", details: { user: membership.user.email, role: membership.role } },
          tx,
        );
      }
    });
  }

  if (tenant.channel === "heroku") {
    const owners = [...access.ownerIds];
    const promoted = await db.membership.updateMany({
      where: { tenantId, role: "member", user: { herokuUserId: { in: owners } } },
      data: { role: "owner" },
    });
    const demoted = await db.membership.updateMany({
      where: { tenantId, role: "owner", user: { OR: [{ herokuUserId: null }, { herokuUserId: { notIn: owners } }] } },
      data: { role: "member" },
    });
    if (promoted.count + demoted.count > 0) {
      await recordAudit({ tenantId, actor: "heroku", action: "membership.role_changed", details: { promoted: promoted.count, demoted: demoted.count } });
    }
  }
  return true;
}

/** The upkeep job's part: tenants with members whose last check is older than MEMBERS_CHECK_MAX_AGE_MS. */
export async function checkStaleMembers(now: Date = new Date(), limit = 200): Promise<number> {
  const staleBefore = new Date(now.getTime() - MEMBERS_CHECK_MAX_AGE_MS);
  const tenants = await db.tenant.findMany({
    where: {
      state: { not: "deprovisioned" },
      memberships: { some: {} },
      OR: [{ membersCheckedAt: null }, { membersCheckedAt: { lte: staleBefore } }],
    },
    orderBy: { membersCheckedAt: { sort: "asc", nulls: "first" } },
    select: { id: true },
    take: limit,
  });
  let checked = 0;
  for (const { id } of tenants) {
    try {
      if (await checkMembers(id, MEMBERS_CHECK_MAX_AGE_MS, now)) checked += 1;
    } catch (error) {
      log.error({ err: error, tenantId: id }, "members check failed");
    }
  }
  return checked;
}
