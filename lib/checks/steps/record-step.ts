import type { ScaleOutcome } from "@/lib/db/generated/enums";
import type { CollectedMetrics } from "@/lib/checks/collect-metrics";
import { countCheck } from "@/lib/checks/failure-kind";
import { addEvent, addProblem, type CheckRun } from "@/lib/checks/steps/check-run";
import type { Decided } from "@/lib/checks/steps/decide-step";
import type { OneOffOutcome } from "@/lib/checks/steps/one-off-step";
import type { FormationOutcome } from "@/lib/heroku/formation";
import { checkDurationSeconds, decisionsTotal } from "@/lib/metrics";
import { emptyHistory } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import type { ProcessDecision } from "@/lib/scaling/types";
import { summarizeWebWindows } from "@/lib/scaling/web-windows";

/**
 * Step 6: advances each process type's history by what really happened, leaves the scale
 * events and samples, folds the formation Heroku answered into the cached one, and writes the
 * tenant's health.
 */
export function recordStep(
  run: CheckRun,
  collected: CollectedMetrics,
  decided: Decided,
  formation: FormationOutcome | null,
  oneOff: ReadonlyMap<string, OneOffOutcome> = new Map(),
): void {
  const { state } = run;
  for (const decision of decided.decisions) {
    const rule = run.rules.processTypes.find((r) => r.processType === decision.processType);
    if (!rule) continue;
    const wanted = decision.desiredQuantity !== decision.currentQuantity;
    // One-off process types: the one-off step started the dynos and left their events.
    const started = oneOff.get(decision.processType);
    const applied = started ? started.applied : wanted && decision.apply && formation?.kind === "ok";
    const finalQuantity = started ? decision.desiredQuantity : applied && formation?.kind === "ok" ? (formation.quantities[decision.processType] ?? decision.desiredQuantity) : decision.currentQuantity;
    const recorded = recordDecision(
      rule,
      decided.histories[decision.processType] ?? emptyHistory(),
      { ...decision, desiredQuantity: applied ? finalQuantity : decision.desiredQuantity },
      run.now,
      run.rules.checkIntervalSeconds,
      applied,
    );
    state.history[decision.processType] = recorded;
    decisionsTotal.inc({ direction: decision.direction, applied: String(applied) });

    const outcome = wanted && !started && rule.mode === "formation" ? outcomeFor(decision, formation) : null;
    if (outcome) {
      const clamp = formation?.kind === "ok" ? formation.clamped : null;
      addEvent(run, {
        processType: decision.processType,
        fromQuantity: decision.currentQuantity,
        toQuantity: applied ? finalQuantity : decision.desiredQuantity,
        reason: clamp && clamp.processType === decision.processType ? `${decision.reason}; clamped to ${clamp.limit} by Heroku: ${clamp.message}` : decision.reason,
        metrics: { ...decision.observed, driver: decision.driver },
        outcome,
        apiLatencyMs: formation?.kind === "ok" ? formation.latencyMs : null,
        error: formation && formation.kind !== "ok" ? formation.message : null,
      });
    }

    const metrics = collected.metrics[decision.processType];
    if (metrics) {
      const web = metrics.web ? summarizeWebWindows(metrics.web) : null;
      run.deps.writer.addSample({
        tenantId: run.context.tenantId,
        processType: decision.processType,
        sampledAt: run.now,
        depth: decision.observed.depth,
        latencyMs: decision.observed.latencyMs === null ? null : Math.round(decision.observed.latencyMs),
        busy: decision.observed.busy,
        scheduled: metrics.queues.reduce((sum, q) => sum + q.scheduled, 0),
        retries: metrics.queues.reduce((sum, q) => sum + q.retries, 0),
        dynos: recorded.currentQuantity,
        ...(web
          ? { requestsPerMinute: web.requestsPerMinute, queueTimeP50Ms: web.queueTimeMs?.p50, queueTimeP95Ms: web.queueTimeMs?.p95, queueTimeP99Ms: web.queueTimeMs?.p99 }
          : {}),
      });
    }
  }
  if (formation && formation.kind === "ok") {
    state.formation = { readAtMs: state.formation?.readAtMs ?? run.startedMs, quantities: { ...state.formation?.quantities, ...formation.quantities } };
  } else if (formation && formation.kind !== "not_authorized") {
    addProblem(run, formation.message, formation.failure);
  }
  for (const [processType, why] of run.context.invalidRules) addProblem(run, `${processType}: rules are invalid (${why})`, "invalid_rules");
  // A secret sealed with a key Ebbflow no longer holds: the customer must enter it again.
  for (const [processType, why] of run.context.unreadableSources ?? []) addProblem(run, `${processType}: ${why}`, "probe_config");

  const good = run.problems.length === 0;
  run.deps.writer.setHealth({ tenantId: run.context.tenantId, checkedAt: run.now, good, error: good ? null : run.problems.join(" ") });
  countCheck(run.failures);
  checkDurationSeconds.observe((run.clock() - run.startedMs) / 1000);
}

/**
 * Which scale event a wanted change leaves. A deferred change (rate limit, release) leaves
 * none: the next check decides again. Dry run and not-authorized changes are recorded when
 * they differ from the last one recorded, so an app without authorization does not log the
 * same "would scale" every ten seconds.
 */
function outcomeFor(decision: ProcessDecision, formation: FormationOutcome | null): ScaleOutcome | null {
  if (decision.paused) return null;
  if (decision.dryRun) return "dry_run";
  if (!formation) return null;
  switch (formation.kind) {
    case "ok":
      return "applied";
    case "not_authorized":
      return "not_authorized";
    case "failed":
      return "failed";
    case "deferred":
      return null;
  }
}
