import { addEvent, addProblem, type CheckRun } from "@/lib/checks/steps/check-run";
import { manualChange } from "@/lib/checks/manual-change";
import { readFormation } from "@/lib/heroku/formation";
import { webhooksHealthy } from "@/lib/heroku-webhooks/webhook-settings";
import { emptyHistory } from "@/lib/scaling/decide";

/** Heroku's formation is re-read this often, to notice quantities changed by hand. */
export const FORMATION_REFRESH_MS = 3 * 60_000;
/**
 * While the add-on's webhooks work, a change by hand arrives within seconds through them, so
 * the formation is re-read only this often, in case a delivery was lost.
 */
export const FORMATION_REFRESH_WITH_WEBHOOKS_MS = 15 * 60_000;

/**
 * Step 1: re-reads the formation when the cached one is missing or old, records quantities
 * changed by hand on Heroku, and starts history for process types the engine has not seen.
 */
export async function readFormationStep(run: CheckRun): Promise<void> {
  const { target, state } = run;
  const refreshMs = webhooksHealthy(run.context.webhooksCheckedAtMs, run.startedMs) ? FORMATION_REFRESH_WITH_WEBHOOKS_MS : FORMATION_REFRESH_MS;
  if (!target || (state.formation && run.startedMs - state.formation.readAtMs <= refreshMs)) return;
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
    if (known && known.currentQuantity !== actual) addEvent(run, manualChange(rule.processType, known.currentQuantity, actual));
    state.history[rule.processType] = { ...(known ?? emptyHistory(actual)), currentQuantity: actual };
  }
  state.formation = { readAtMs: run.startedMs, quantities: read.quantities };
}
