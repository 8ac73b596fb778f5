import { db } from "@/lib/db/client";

/** The apps a user is a member of, newest first. */
export function listMemberTenants(userId: string) {
  return db.tenant.findMany({
    where: { state: { not: "deprovisioned" }, memberships: { some: { userId } } },
    select: { id: true, appName: true, plan: true, state: true, paused: true },
    orderBy: { createdAt: "desc" },
  });
}
