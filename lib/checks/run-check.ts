import type { CheckState } from "@/lib/checks/check-state";
import type { CheckContext } from "@/lib/checks/check-context";
import type { CheckFailureKind } from "@/lib/checks/failure-kind";
import type { ScaleEventRow } from "@/lib/checks/scale-event";
import { actStep } from "@/lib/checks/steps/act-step";
import { startCheckRun, type CheckDeps } from "@/lib/checks/steps/check-run";
import { collectStep } from "@/lib/checks/steps/collect-step";
import { decideStep } from "@/lib/checks/steps/decide-step";
import { drainStep } from "@/lib/checks/steps/drain-step";
import { countOneOffStep, startOneOffStep } from "@/lib/checks/steps/one-off-step";
import { readFormationStep } from "@/lib/checks/steps/read-formation-step";
import { recordStep } from "@/lib/checks/steps/record-step";
import type { FormationOutcome } from "@/lib/heroku/formation";
import { checkLagSeconds } from "@/lib/metrics";
import type { ProcessDecision } from "@/lib/scaling/types";

export type { CheckDeps } from "@/lib/checks/steps/check-run";
export type { ScaleEventRow } from "@/lib/checks/scale-event";
export { FORMATION_REFRESH_MS } from "@/lib/checks/steps/read-formation-step";

export interface CheckResult {
  tenantId: string;
  lagMs: number;
  decisions: ProcessDecision[];
  formation: FormationOutcome | null;
  events: ScaleEventRow[];
  state: CheckState;
  /** Why the check failed, one kind per problem in order; empty when it did not. */
  failures: CheckFailureKind[];
}

/**
 * One check of one tenant, in named steps (each in `lib/checks/steps/`): read the formation,
 * collect the queue numbers, decide (a downscale confirmed on a fresh probe), quiet and drain
 * (dynos about to go stop taking work and are removed once idle), one-off (count the
 * run-to-completion dynos before deciding, start what is wanted after), act (one batch
 * formation update), record (history, events, samples, health). Returns the new state for the
 * caller to save; samples and health go through the writer, scale events come back.
 */
export async function runCheck(context: CheckContext, previous: CheckState, dueAtMs: number, deps: CheckDeps): Promise<CheckResult> {
  const run = startCheckRun(context, previous, deps);
  const lagMs = Math.max(0, run.startedMs - dueAtMs);
  checkLagSeconds.observe(lagMs / 1000);

  await readFormationStep(run);
  const collected = await collectStep(run);
  const oneOffCounts = await countOneOffStep(run);
  const drained = await drainStep(run, await decideStep(run, collected));
  const oneOff = await startOneOffStep(run, drained.decisions, oneOffCounts);
  const decided = { ...drained, decisions: oneOff.decisions };
  const formation = await actStep(run, decided.decisions);
  recordStep(run, collected, decided, formation, oneOff.outcomes);
  return { tenantId: context.tenantId, lagMs, decisions: decided.decisions, formation, events: run.events, state: run.state, failures: run.failures };
}
