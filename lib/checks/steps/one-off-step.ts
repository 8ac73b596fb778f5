import { addEvent, addProblem, type CheckRun } from "@/lib/checks/steps/check-run";
import { listAppDynos, startOneOffDyno } from "@/lib/heroku/one-off-dynos";
import { emptyHistory } from "@/lib/scaling/decide";
import { oneOffLimitFor, planOneOff, type OneOffCounts } from "@/lib/scaling/plan-one-off";
import type { ProcessDecision } from "@/lib/scaling/types";

/** What the one-off step did for one process type: the record step advances history by it. */
export interface OneOffOutcome {
  applied: boolean;
}

const running = (state: string) => state === "starting" || state === "up";

/**
 * Before deciding, one-off mode counts its dynos (`GET /apps/{app}/dynos`): the ones this
 * rule started (its command) still running become the current quantity, and each one gone
 * since the last check leaves an event (it exited by itself, or its time-to-live ran out).
 */
export async function countOneOffStep(run: CheckRun): Promise<Map<string, OneOffCounts>> {
  const counts = new Map<string, OneOffCounts>();
  const rules = run.rules.processTypes.filter((r) => r.mode === "one-off");
  if (rules.length === 0 || !run.target) return counts;
  const listed = await listAppDynos(run.target);
  if (listed.kind !== "ok") {
    if (listed.kind !== "not_authorized") addProblem(run, `one-off dynos could not be listed: ${listed.message}`, listed.failure);
    return counts;
  }
  const formationTypes = new Set([...Object.keys(run.state.formation?.quantities ?? {}), ...run.rules.processTypes.filter((r) => r.mode === "formation").map((r) => r.processType)]);
  const oneOffs = listed.dynos.filter((d) => !formationTypes.has(d.type) && running(d.state));
  const known = { ...run.state.oneOffDynos };
  for (const rule of rules) {
    const ours = oneOffs.filter((d) => d.command === rule.oneOff.command).map((d) => d.name);
    const limitClass = oneOffLimitFor(rule.oneOff.size);
    counts.set(rule.processType, { running: ours.length, runningOnApp: oneOffs.filter((d) => oneOffLimitFor(d.size) === limitClass).length });
    for (const gone of (known[rule.processType] ?? []).filter((name) => !ours.includes(name))) {
      addEvent(run, {
        processType: rule.processType,
        fromQuantity: ours.length + 1,
        toQuantity: ours.length,
        reason: `${gone} exited: its command ended (queues empty) or its time-to-live ran out`,
        outcome: "applied",
      });
    }
    known[rule.processType] = ours;
    const history = run.state.history[rule.processType];
    run.state.history[rule.processType] = { ...(history ?? emptyHistory()), currentQuantity: ours.length };
  }
  run.state.oneOffDynos = known;
  return counts;
}

/**
 * After deciding, one-off mode starts what `planOneOff` says (never stopping one), within
 * Heroku's concurrent one-off limit, and leaves an event for each start.
 */
export async function startOneOffStep(
  run: CheckRun,
  decisions: readonly ProcessDecision[],
  counts: ReadonlyMap<string, OneOffCounts>,
): Promise<{ decisions: ProcessDecision[]; outcomes: Map<string, OneOffOutcome> }> {
  const outcomes = new Map<string, OneOffOutcome>();
  const next: ProcessDecision[] = [];
  for (const decision of decisions) {
    const rule = run.rules.processTypes.find((r) => r.processType === decision.processType);
    if (!rule || rule.mode !== "one-off") {
      next.push(decision);
      continue;
    }
    const count = counts.get(rule.processType);
    if (!count) {
      const reason = run.target ? `${rule.processType}: holding, the one-off dynos could not be counted` : `${decision.reason} (not authorized: authorize scaling to start one-off dynos)`;
      next.push({ ...decision, desiredQuantity: decision.currentQuantity, direction: "none", apply: false, reason });
      outcomes.set(rule.processType, { applied: false });
      continue;
    }
    const plan = planOneOff(rule, decision, count);
    next.push(plan.decision);
    let started = 0;
    if (plan.decision.apply && run.target) {
      for (let i = 0; i < plan.start; i += 1) {
        const result = await startOneOffDyno(run.target, { command: rule.oneOff.command, size: rule.oneOff.size, timeToLiveSeconds: rule.oneOff.timeToLiveSeconds, processType: rule.processType });
        if (result.kind !== "ok") {
          addProblem(run, `${rule.processType}: starting a one-off dyno failed: ${result.message}`, result.kind === "not_authorized" ? "token" : result.failure);
          addEvent(run, { processType: rule.processType, fromQuantity: count.running + started, toQuantity: count.running + started, reason: plan.decision.reason, outcome: "failed", error: result.message });
          break;
        }
        started += 1;
        run.state.oneOffDynos = { ...run.state.oneOffDynos, [rule.processType]: [...(run.state.oneOffDynos?.[rule.processType] ?? []), result.name] };
        addEvent(run, {
          processType: rule.processType,
          fromQuantity: count.running + started - 1,
          toQuantity: count.running + started,
          reason: `${result.name} started: ${plan.decision.reason}`,
          outcome: "applied",
          apiLatencyMs: result.latencyMs,
          metrics: { ...plan.decision.observed, driver: plan.decision.driver, limitBinds: plan.limitBinds },
        });
      }
    } else if (plan.limitBinds || (plan.decision.dryRun && plan.start > 0)) {
      addEvent(run, { processType: rule.processType, fromQuantity: count.running, toQuantity: plan.decision.desiredQuantity, reason: plan.decision.reason, outcome: plan.decision.dryRun ? "dry_run" : "applied" });
    }
    outcomes.set(rule.processType, { applied: started > 0 });
    next[next.length - 1] = { ...plan.decision, desiredQuantity: count.running + started };
  }
  return { decisions: next, outcomes };
}
