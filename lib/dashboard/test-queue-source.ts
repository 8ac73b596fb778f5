import { planOrHobby } from "@/lib/billing/plans";
import { db } from "@/lib/db/client";
import { resolveProbeSource, type SourceRequest } from "@/lib/dashboard/queue-source-request";
import { isAppError } from "@/lib/errors";
import { isProbeError } from "@/lib/queues/errors";
import { probeQueues } from "@/lib/queues/probe";
import { readReport } from "@/lib/queues/push";
import type { ProbeResult } from "@/lib/queues/schema";
import { webRedis } from "@/lib/redis/connection";

/** What "test connection" shows: live readings, or what went wrong and what to do. */
export type ConnectionTest =
  | { ok: true; result: ProbeResult; note: string | null }
  | { ok: false; kind: string; message: string };

/**
 * Reads the queues once, the way a check would: a probe through lib/queues' `probeQueues`, or
 * for push the agent's latest report. Problems come back as data (a ProbeError's kind and
 * message), not as an HTTP error, because a failing connection is the answer the form asked for.
 */
export async function testQueueSource(tenantId: string, request: SourceRequest): Promise<ConnectionTest> {
  if (request.mode === "push") {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true } });
    const interval = planOrHobby(tenant.plan).checkIntervalSeconds;
    const report = await readReport(webRedis(), tenantId, request.processType, interval);
    if (!report) {
      return {
        ok: false,
        kind: "no_report",
        message: `No report from the agent for ${request.processType} in the last ${3 * interval} s. Check that the agent runs and posts to EBBFLOW_URL.`,
      };
    }
    return { ok: true, result: report.result, note: `Reported ${Math.round(report.ageMs / 1000)} s ago.` };
  }
  try {
    const source = await resolveProbeSource(tenantId, request);
    return { ok: true, result: await probeQueues(source), note: null };
  } catch (error) {
    if (isProbeError(error)) return { ok: false, kind: error.kind, message: error.message };
    if (isAppError(error) && error.code === "invalid_params") return { ok: false, kind: "invalid_config", message: error.message };
    throw error;
  }
}
