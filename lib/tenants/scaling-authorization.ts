import { db } from "@/lib/db/client";

/** Whether the tenant holds a live Heroku authorization that can change its formation. */
export async function hasScalingAuthorization(tenantId: string): Promise<boolean> {
  const token = await db.herokuToken.findUnique({
    where: { tenantId_kind: { tenantId, kind: "scaling" } },
    select: { revokedAt: true },
  });
  return Boolean(token && !token.revokedAt);
}
