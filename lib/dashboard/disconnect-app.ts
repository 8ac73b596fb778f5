import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { invalidField } from "@/lib/http/validation-error";
import { endTenant } from "@/lib/tenants/deprovision-tenant";

/** The customer types the app's name to confirm, as Heroku's own dangerous actions ask. */
export const disconnectRequestSchema = z.object({ confirmAppName: z.string().trim().min(1, "type the app's name to confirm") });

/**
 * Disconnects a directly connected app (its owner only: the route asks requireTenant for the
 * owner role). It ends the same way a removed add-on does (endTenant). Add-on apps are removed
 * on Heroku (`heroku addons:destroy`), which deprovisions them.
 */
export async function disconnectApp(tenantId: string, confirmAppName: string, actor: string, now: Date = new Date()): Promise<void> {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { channel: true, appName: true } });
  if (tenant.channel !== "direct") {
    throw new AppError("conflict", `Remove the add-on on Heroku instead: heroku addons:destroy ebbflow -a ${tenant.appName}`);
  }
  if (confirmAppName !== tenant.appName) throw invalidField("confirmAppName", `type ${tenant.appName} to confirm`);
  await endTenant(tenantId, { actor, via: "dashboard" }, now);
}
