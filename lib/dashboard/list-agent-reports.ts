import { listReportedDynos, type ReportedDyno } from "@/lib/queues/push";
import { webRedis } from "@/lib/redis/connection";

/** The one-line install of each agent package; `EBBFLOW_URL` is the only setting. */
export const agentInstalls = [
  { language: "Node.js (BullMQ, Bull; Express, Fastify, Next.js)", install: "npm install ebbflow-agent" },
  { language: "Ruby (Sidekiq, Resque, Delayed Job, GoodJob, Solid Queue, Que; Rack)", install: 'gem "ebbflow-agent", require: "ebbflow"' },
  { language: "Python (Celery, RQ; WSGI, ASGI)", install: "pip install ebbflow-agent" },
] as const;

export interface AgentReports {
  processType: string;
  dynos: Array<ReportedDyno & { ageSeconds: number }>;
}

/** Which dynos' agents have reported, per process type, and how long ago (protocol 2 reports). */
export async function listAgentReports(tenantId: string, processTypes: readonly string[], nowMs = Date.now()): Promise<AgentReports[]> {
  return Promise.all(
    processTypes.map(async (processType) => ({
      processType,
      dynos: (await listReportedDynos(webRedis(), tenantId, processType, nowMs)).map(({ ageMs, ...dyno }) => ({ ...dyno, ageSeconds: Math.round(ageMs / 1000) })),
    })),
  );
}
