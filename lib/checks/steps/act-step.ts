import type { CheckRun } from "@/lib/checks/steps/check-run";
import { updateFormation, type FormationOutcome } from "@/lib/heroku/formation";
import type { ProcessDecision } from "@/lib/scaling/types";

/**
 * Step 5: one formation update for every change the decisions apply, or null when there is
 * none. Without a scaling authorization nothing is sent and the outcome says why.
 */
export async function actStep(run: CheckRun, decisions: readonly ProcessDecision[]): Promise<FormationOutcome | null> {
  // One-off process types have no formation quantity to set: their dynos are started, never stopped.
  const formationTypes = new Set(run.rules.processTypes.filter((r) => r.mode === "formation").map((r) => r.processType));
  const changes = decisions.filter((d) => d.apply && d.desiredQuantity !== d.currentQuantity && formationTypes.has(d.processType));
  if (changes.length === 0) return null;
  if (!run.target) return { kind: "not_authorized", message: "Scaling is not authorized: authorize it from the app's page." };
  return updateFormation(run.target, changes.map((d) => ({ type: d.processType, quantity: d.desiredQuantity })));
}
