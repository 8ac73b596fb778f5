import { addEvent, addProblem, type CheckRun } from "@/lib/checks/steps/check-run";
import { readFormation } from "@/lib/heroku/formation";
import { emptyHistory } from "@/lib/scaling/decide";

/** Heroku's formation is re-read this often, to notice quantities changed by hand. */
export const FORMATION_REFRESH_MS = 3 * 60_000;

/**
 * Step 1: re-reads the formation when the cached one is missing or old, records quantities
 * changed by hand on Heroku, and starts history for process types the engine has not seen.
 */
export async function readFormationStep(run: CheckRun): Promise<void> {
  const { target, state } = run;
  if (!target || (state.formation && run.startedMs - state.formation.readAtMs <= FORMATION_REFRESH_MS)) return;
  const read = await readFormation(target);
  if (read.kind !== "ok") {
    if (read.kind !== "not_authorized") addProblem(run, read.message, read.failure);
    return;
  }
  // One-off process types have no formation quantity of their own: their count comes from the dyno list.
  for (const rule of run.context.rules.processTypes.filter((r) => r.mode === "formation")) {
    const actual = read.quantities[rule.processType];
    const known = state.history[rule.processType];
    if (actual === undefined) continue;
    if (known && known.currentQuantity !== actual) {
      addEvent(run, {
        processType: rule.processType,
        fromQuantity: known.currentQuantity,
        toQuantity: actual,
        reason: `${rule.processType} ${known.currentQuantity} → ${actual}: changed on Heroku`,
        outcome: "manual",
      });
    }
    state.history[rule.processType] = { ...(known ?? emptyHistory(actual)), currentQuantity: actual };
  }
  state.formation = { readAtMs: run.startedMs, quantities: read.quantities };
}
