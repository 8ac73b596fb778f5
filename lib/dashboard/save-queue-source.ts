import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { seal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { resolveProbeSource, type ProbeSourceRequest, type SourceRequest } from "@/lib/dashboard/queue-source-request";
import { AppError } from "@/lib/errors";
import { webRedis } from "@/lib/redis/connection";

/**
 * Creates or replaces a process type's queue source. A probe's configuration (its URL holds a
 * password) is sealed at rest; only the backend is kept in the clear. The tenant id is in the
 * write's unique key, so a source can only land on the caller's app. The next check runs now.
 */
export async function saveQueueSource(tenantId: string, request: SourceRequest): Promise<{ processType: string }> {
  const key = { tenantId_processType: { tenantId, processType: request.processType } };
  if (request.mode === "push") {
    const fields = { mode: "push" as const, backend: null, configSealed: null, quietUrlSealed: null };
    await db.queueSource.upsert({ where: key, create: { tenantId, processType: request.processType, ...fields }, update: fields });
    await syncTenantSchedule(webRedis(), tenantId);
    return { processType: request.processType };
  }
  const source = await resolveProbeSource(tenantId, request);
  const quietUrlSealed = await resolveQuietUrl(tenantId, request, source.backend);
  const fields = { mode: "probe" as const, backend: source.backend, configSealed: seal(JSON.stringify(source)).value, quietUrlSealed };
  await db.queueSource.upsert({ where: key, create: { tenantId, processType: request.processType, ...fields }, update: fields });
  await syncTenantSchedule(webRedis(), tenantId);
  return { processType: request.processType };
}

/** Removes a process type's queue source; the engine then holds that process type. */
export async function removeQueueSource(tenantId: string, processType: string): Promise<{ removed: boolean }> {
  const { count } = await db.queueSource.deleteMany({ where: { tenantId, processType } });
  return { removed: count > 0 };
}

/**
 * The sealed write URL that lets Ebbflow quiet Sidekiq dynos, or null when the customer did
 * not opt in. It must point at a Redis (redis:// or rediss://); a blank field keeps the stored
 * one. Only Sidekiq has a remote quiet signal Ebbflow can send.
 */
async function resolveQuietUrl(tenantId: string, request: ProbeSourceRequest, backend: string): Promise<string | null> {
  if (!request.quiet) return null;
  if (backend !== "sidekiq") throw new AppError("invalid_params", "quietUrl: quieting dynos works with Sidekiq sources (other backends: use the push agent)");
  if (request.quietUrl) {
    if (!/^rediss?:\/\//i.test(request.quietUrl)) throw new AppError("invalid_params", "quietUrl: a Redis URL (redis:// or rediss://) that may write");
    return seal(request.quietUrl).value;
  }
  const stored = await db.queueSource.findUnique({ where: { tenantId_processType: { tenantId, processType: request.processType } }, select: { quietUrlSealed: true } });
  if (!stored?.quietUrlSealed) throw new AppError("invalid_params", "quietUrl: enter a Redis URL that may write, or untick quieting");
  return stored.quietUrlSealed;
}
