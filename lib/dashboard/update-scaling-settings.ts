import { z } from "zod";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { db } from "@/lib/db/client";
import { webRedis } from "@/lib/redis/connection";

export const scalingSettingsSchema = z.object({
  paused: z.boolean(),
  dryRun: z.boolean(),
});

export type ScalingSettings = z.infer<typeof scalingSettingsSchema>;

/**
 * Pauses or resumes autoscaling and switches dry run. The schedule follows at once: a paused
 * app is taken off the check schedule, a resumed one is due immediately.
 */
export async function updateScalingSettings(tenantId: string, settings: ScalingSettings): Promise<ScalingSettings> {
  const tenant = await db.tenant.update({
    where: { id: tenantId },
    data: { paused: settings.paused, dryRun: settings.dryRun },
    select: { paused: true, dryRun: true },
  });
  await syncTenantSchedule(webRedis(), tenantId);
  return tenant;
}
