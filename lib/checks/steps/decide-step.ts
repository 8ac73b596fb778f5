import { collectMetrics, type CollectedMetrics } from "@/lib/checks/collect-metrics";
import type { CheckRun } from "@/lib/checks/steps/check-run";
import { confirmDownscale } from "@/lib/scaling/confirm";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { ruleForQuietDrain } from "@/lib/scaling/plan-drain";
import type { MetricsByProcess, ProcessDecision, ProcessHistory } from "@/lib/scaling/types";
import { quietChannelFor } from "@/lib/checks/steps/drain-step";

export interface Decided {
  decisions: ProcessDecision[];
  /** The histories the decisions were made on (the record step advances them). */
  histories: Record<string, ProcessHistory>;
}

/**
 * Step 3: the engine's decisions. A downscale is confirmed on a fresh probe: a job that
 * arrived meanwhile must not be killed.
 */
export async function decideStep(run: CheckRun, collected: CollectedMetrics): Promise<Decided> {
  const histories: Record<string, ProcessHistory> = {};
  for (const rule of run.rules.processTypes) histories[rule.processType] = run.state.history[rule.processType] ?? emptyHistory();
  // Where dynos are quieted before they go, the busy floor counts jobs (ruleForQuietDrain).
  const rules = { ...run.rules, processTypes: run.rules.processTypes.map((rule) => (quietChannelFor(run, rule) ? ruleForQuietDrain(rule) : rule)) };
  const metricsFor = (metrics: MetricsByProcess): MetricsByProcess =>
    Object.fromEntries(
      Object.entries(metrics).map(([processType, m]) => {
        const rule = run.rules.processTypes.find((r) => r.processType === processType);
        return [processType, m && rule && quietChannelFor(run, rule) ? { ...m, highestBusyDyno: null } : m];
      }),
    );
  const decisions = decide(rules, metricsFor(collected.metrics), histories, run.now);

  const downscaling = new Set(decisions.filter((d) => d.apply && d.direction === "down").map((d) => d.processType));
  if (downscaling.size === 0) return { decisions, histories };
  const fresh = await collectMetrics(run.context, run.deps.redis, run.clock(), downscaling);
  const freshDecisions = decide(rules, metricsFor(fresh.metrics), histories, new Date(run.clock()));
  return {
    histories,
    decisions: decisions.map((first) => {
      const second = freshDecisions.find((d) => d.processType === first.processType);
      return downscaling.has(first.processType) && second ? confirmDownscale(first, second) : first;
    }),
  };
}
