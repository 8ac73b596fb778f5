import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { seal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { resolveProbeSource, type SourceRequest } from "@/lib/dashboard/queue-source-request";
import { webRedis } from "@/lib/redis/connection";

/**
 * Creates or replaces a process type's queue source. A probe's configuration (its URL holds a
 * password) is sealed at rest; only the backend is kept in the clear. The tenant id is in the
 * write's unique key, so a source can only land on the caller's app. The next check runs now.
 */
export async function saveQueueSource(tenantId: string, request: SourceRequest): Promise<{ processType: string }> {
  const key = { tenantId_processType: { tenantId, processType: request.processType } };
  if (request.mode === "push") {
    const fields = { mode: "push" as const, backend: null, configSealed: null };
    await db.queueSource.upsert({ where: key, create: { tenantId, processType: request.processType, ...fields }, update: fields });
    await syncTenantSchedule(webRedis(), tenantId);
    return { processType: request.processType };
  }
  const source = await resolveProbeSource(tenantId, request);
  const fields = { mode: "probe" as const, backend: source.backend, configSealed: seal(JSON.stringify(source)).value };
  await db.queueSource.upsert({ where: key, create: { tenantId, processType: request.processType, ...fields }, update: fields });
  await syncTenantSchedule(webRedis(), tenantId);
  return { processType: request.processType };
}

/** Removes a process type's queue source; the engine then holds that process type. */
export async function removeQueueSource(tenantId: string, processType: string): Promise<{ removed: boolean }> {
  const { count } = await db.queueSource.deleteMany({ where: { tenantId, processType } });
  return { removed: count > 0 };
}
