import type { Redis } from "ioredis";
import type { CheckContext } from "@/lib/checks/check-context";
import { failureKindOf, type CheckFailureKind } from "@/lib/checks/failure-kind";
import { toProcessMetrics } from "@/lib/checks/to-process-metrics";
import { ProbeError } from "@/lib/queues/errors";
import { probeQueues } from "@/lib/queues/probe";
import { readReport } from "@/lib/queues/push";
import type { ProbeResult } from "@/lib/queues/schema";
import { readWebWindows } from "@/lib/queues/web-reports";
import type { MetricsByProcess } from "@/lib/scaling/types";

export interface CollectedMetrics {
  metrics: MetricsByProcess;
  /** Why a process type has no metrics: in words for the dashboard, and its kind for the metrics. */
  problems: Map<string, { message: string; kind: CheckFailureKind }>;
}

/**
 * Reads every process type's queue numbers: probes the store (one probe per distinct source,
 * even when several process types share it) or takes the agent's latest push report; for a
 * web process type, every dyno's web windows within the rule's window. A
 * process type whose numbers could not be read is left out, which makes the engine hold.
 */
export async function collectMetrics(
  context: CheckContext,
  redis: Redis,
  nowMs: number,
  only?: ReadonlySet<string>,
): Promise<CollectedMetrics> {
  const metrics: Record<string, ReturnType<typeof toProcessMetrics>> = {};
  const problems = new Map<string, { message: string; kind: CheckFailureKind }>();
  const probes = new Map<string, Promise<ProbeResult>>();

  await Promise.all(
    context.rules.processTypes
      .filter((rule) => !only || only.has(rule.processType))
      .map(async (rule) => {
        const source = context.sources.get(rule.processType);
        if (!source && rule.kind !== "web") {
          problems.set(rule.processType, { message: "No queue source is set up for this process type.", kind: "probe_config" });
          return;
        }
        try {
          if (rule.kind === "web") {
            // Web process types need no queue source: the agents' web middleware reports with
            // the app's agent token, every dyno its own windows.
            const web = await readWebWindows(redis, context.tenantId, rule.processType, nowMs - rule.web.windowSeconds * 1000);
            if (web.length === 0) problems.set(rule.processType, { message: "No recent web report from the agents' middleware.", kind: "agent_silent" });
            else metrics[rule.processType] = { queues: [], web };
            return;
          }
          if (!source) return;
          if (source.mode === "push") {
            const report = await readReport(redis, context.tenantId, rule.processType, context.checkIntervalSeconds, nowMs);
            if (!report) {
              problems.set(rule.processType, { message: "No recent report from the agent.", kind: "agent_silent" });
              return;
            }
            metrics[rule.processType] = toProcessMetrics(report.result, rule.processType);
            return;
          }
          let probe = probes.get(source.key);
          if (!probe) {
            // The check's own clock: latency and staleness are measured on one time line.
            probe = probeQueues(source.source, { now: () => nowMs });
            probes.set(source.key, probe);
          }
          metrics[rule.processType] = toProcessMetrics(await probe, rule.processType);
        } catch (error) {
          problems.set(rule.processType, {
            message: error instanceof ProbeError ? error.message : `Reading the queues failed: ${(error as Error).message}`,
            kind: failureKindOf(error),
          });
        }
      }),
  );
  return { metrics, problems };
}
