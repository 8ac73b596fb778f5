import { collectMetrics, type CollectedMetrics } from "@/lib/checks/collect-metrics";
import { addProblem, type CheckRun } from "@/lib/checks/steps/check-run";

/** Step 2: every process type's queue numbers; those that could not be read become problems. */
export async function collectStep(run: CheckRun): Promise<CollectedMetrics> {
  const collected = await collectMetrics(run.context, run.deps.redis, run.startedMs);
  for (const [processType, problem] of collected.problems) addProblem(run, `${processType}: ${problem.message}`, problem.kind);
  return collected;
}
