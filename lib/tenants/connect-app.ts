import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { takeAuthorization } from "@/lib/auth/pending-authorization";
import type { SessionClaims } from "@/lib/auth/session-token";
import { appInfoSchema, platformClient, statusOf } from "@/lib/heroku/platform";
import { saveToken } from "@/lib/heroku/tokens";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { webRedis } from "@/lib/redis/connection";

/** Heroku app names: 3 to 30 lowercase letters, digits and dashes, starting with a letter. */
export const appNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{2,29}$/, "must be a Heroku app name: lowercase letters, digits and dashes");

/**
 * Connects an app directly (no add-on, billed through Stripe): the Heroku authorization the
 * user just granted must reach the app; the app becomes a tenant with the user as owner.
 */
export async function connectApp(session: SessionClaims, appName: string): Promise<{ tenantId: string }> {
  const authorization = await takeAuthorization(session.sub);
  if (!authorization) throw new AppError("bad_request", "No Heroku authorization is waiting; connect the app again.");

  let app: z.infer<typeof appInfoSchema>;
  try {
    app = appInfoSchema.parse(await platformClient(authorization.access_token).get(`/apps/${encodeURIComponent(appName)}`));
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) throw new AppError("not_found", `Heroku knows no app “${appName}” that you can reach.`);
    throw error;
  }

  const existing = await db.tenant.findFirst({
    where: { herokuAppId: app.id, state: { not: "deprovisioned" } },
    select: { id: true, channel: true },
  });
  if (existing?.channel === "heroku") {
    throw new AppError("conflict", `${app.name} already has the Ebbflow add-on: open it with \`heroku addons:open ebbflow -a ${app.name}\`.`);
  }

  const tenantId =
    existing?.id ??
    (
      await db.tenant.create({
        data: { channel: "direct", appName: app.name, herokuAppId: app.id, plan: "hobby", state: "active" },
        select: { id: true },
      })
    ).id;
  if (!existing) await recordAudit({ tenantId, actor: session.email, action: "tenant.connected", details: { app: app.name } });

  const { count } = await db.membership.createMany({
    data: [{ tenantId, userId: session.sub, role: existing ? "member" : "owner" }],
    skipDuplicates: true,
  });
  if (count === 1) await recordAudit({ tenantId, actor: session.email, action: "membership.created", details: { via: "connect" } });
  await saveToken(tenantId, "scaling", authorization, session.email);
  await syncTenantSchedule(webRedis(), tenantId);
  return { tenantId };
}
