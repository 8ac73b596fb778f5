import { collectMetrics, type CollectedMetrics } from "@/lib/checks/collect-metrics";
import type { CheckRun } from "@/lib/checks/steps/check-run";
import { confirmDownscale } from "@/lib/scaling/confirm";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import type { ProcessDecision, ProcessHistory } from "@/lib/scaling/types";

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
  const decisions = decide(run.rules, collected.metrics, histories, run.now);

  const downscaling = new Set(decisions.filter((d) => d.apply && d.direction === "down").map((d) => d.processType));
  if (downscaling.size === 0) return { decisions, histories };
  const fresh = await collectMetrics(run.context, run.deps.redis, run.clock(), downscaling);
  const freshDecisions = decide(run.rules, fresh.metrics, histories, new Date(run.clock()));
  return {
    histories,
    decisions: decisions.map((first) => {
      const second = freshDecisions.find((d) => d.processType === first.processType);
      return downscaling.has(first.processType) && second ? confirmDownscale(first, second) : first;
    }),
  };
}
