import type { Redis } from "ioredis";
import type { Prisma } from "@/lib/db/generated/client";
import type { ScaleOutcome } from "@/lib/db/generated/enums";
import type { CheckContext } from "@/lib/checks/check-context";
import type { CheckState } from "@/lib/checks/check-state";
import { collectMetrics } from "@/lib/checks/collect-metrics";
import { countCheck, type CheckFailureKind } from "@/lib/checks/failure-kind";
import type { RecordWriter } from "@/lib/checks/record-writer";
import { readFormation, updateFormation, type FormationOutcome, type HerokuTarget } from "@/lib/heroku/formation";
import { checkDurationSeconds, checkLagSeconds, decisionsTotal } from "@/lib/metrics";
import { confirmDownscale } from "@/lib/scaling/confirm";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import type { ProcessDecision, ProcessHistory } from "@/lib/scaling/types";

/** Heroku's formation is re-read this often, to notice quantities changed by hand. */
export const FORMATION_REFRESH_MS = 3 * 60_000;

export interface CheckDeps {
  redis: Redis;
  writer: RecordWriter;
  now?: () => number;
}

export interface ScaleEventRow {
  tenantId: string;
  processType: string;
  occurredAt: Date;
  fromQuantity: number;
  toQuantity: number;
  reason: string;
  metrics: Prisma.InputJsonValue;
  outcome: ScaleOutcome;
  apiLatencyMs: number | null;
  error: string | null;
}

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
 * One check of one tenant: read the queues, decide, confirm a downscale with a fresh probe,
 * update the formation in one batch call, and record what happened. Returns the new state for
 * the caller to save; records samples and health through the writer and returns scale events.
 */
export async function runCheck(context: CheckContext, previous: CheckState, dueAtMs: number, deps: CheckDeps): Promise<CheckResult> {
  const clock = deps.now ?? Date.now;
  const startedMs = clock();
  const now = new Date(startedMs);
  const lagMs = Math.max(0, startedMs - dueAtMs);
  checkLagSeconds.observe(lagMs / 1000);

  const state: CheckState = { history: { ...previous.history }, formation: previous.formation };
  const events: ScaleEventRow[] = [];
  const target: HerokuTarget | null = context.scalingAccount
    ? { tenantId: context.tenantId, appRef: context.appRef, account: context.scalingAccount, redis: deps.redis, now: clock }
    : null;
  const problems: string[] = [];
  const failures: CheckFailureKind[] = [];

  // Notice quantities changed by hand on Heroku, and learn the formation after a lost state.
  if (target && (!state.formation || startedMs - state.formation.readAtMs > FORMATION_REFRESH_MS)) {
    const read = await readFormation(target);
    if (read.kind === "ok") {
      for (const rule of context.rules.processTypes) {
        const actual = read.quantities[rule.processType];
        const known = state.history[rule.processType];
        if (actual === undefined) continue;
        if (known && known.currentQuantity !== actual) {
          events.push(event(context, rule.processType, now, known.currentQuantity, actual, `${rule.processType} ${known.currentQuantity} → ${actual}: changed on Heroku`, {}, "manual", null, null));
        }
        state.history[rule.processType] = { ...(known ?? emptyHistory(actual)), currentQuantity: actual };
      }
      state.formation = { readAtMs: startedMs, quantities: read.quantities };
    } else if (read.kind !== "not_authorized") {
      problems.push(read.message);
      failures.push(read.failure);
    }
  }

  const rules = {
    ...context.rules,
    processTypes: context.rules.processTypes.map((rule) => ({
      ...rule,
      paused: rule.paused || context.paused,
      dryRun: rule.dryRun || context.dryRun,
    })),
  };
  const collected = await collectMetrics(context, deps.redis, startedMs);
  for (const [processType, problem] of collected.problems) {
    problems.push(`${processType}: ${problem.message}`);
    failures.push(problem.kind);
  }
  const histories: Record<string, ProcessHistory> = {};
  for (const rule of rules.processTypes) histories[rule.processType] = state.history[rule.processType] ?? emptyHistory();
  let decisions = decide(rules, collected.metrics, histories, now);

  // A downscale is confirmed on a fresh probe: a job that arrived meanwhile must not be killed.
  const downscaling = new Set(decisions.filter((d) => d.apply && d.direction === "down").map((d) => d.processType));
  if (downscaling.size > 0) {
    const fresh = await collectMetrics(context, deps.redis, clock(), downscaling);
    const freshDecisions = decide(rules, fresh.metrics, histories, new Date(clock()));
    decisions = decisions.map((first) => {
      const second = freshDecisions.find((d) => d.processType === first.processType);
      return downscaling.has(first.processType) && second ? confirmDownscale(first, second) : first;
    });
  }

  const changes = decisions.filter((d) => d.apply && d.desiredQuantity !== d.currentQuantity);
  let formation: FormationOutcome | null = null;
  if (changes.length > 0) {
    formation = target
      ? await updateFormation(target, changes.map((d) => ({ type: d.processType, quantity: d.desiredQuantity })))
      : { kind: "not_authorized", message: "Scaling is not authorized: authorize it from the app's page." };
  }

  for (const decision of decisions) {
    const rule = rules.processTypes.find((r) => r.processType === decision.processType);
    if (!rule) continue;
    const wanted = decision.desiredQuantity !== decision.currentQuantity;
    const applied = wanted && decision.apply && formation?.kind === "ok";
    const finalQuantity = applied && formation?.kind === "ok" ? (formation.quantities[decision.processType] ?? decision.desiredQuantity) : decision.currentQuantity;
    const recorded = recordDecision(rule, histories[decision.processType] ?? emptyHistory(), { ...decision, desiredQuantity: applied ? finalQuantity : decision.desiredQuantity }, now, rules.checkIntervalSeconds, applied);
    state.history[decision.processType] = recorded;
    decisionsTotal.inc({ direction: decision.direction, applied: String(applied) });

    if (wanted) {
      const outcome = outcomeFor(decision, formation);
      if (outcome) {
        const clamp = formation?.kind === "ok" ? formation.clamped : null;
        const reason = clamp && clamp.processType === decision.processType
          ? `${decision.reason}; clamped to ${clamp.limit} by Heroku: ${clamp.message}`
          : decision.reason;
        const error = formation && formation.kind !== "ok" ? formation.message : null;
        events.push(event(context, decision.processType, now, decision.currentQuantity, applied ? finalQuantity : decision.desiredQuantity, reason, { ...decision.observed, driver: decision.driver }, outcome, formation?.kind === "ok" ? formation.latencyMs : null, error));
      }
    }

    const metrics = collected.metrics[decision.processType];
    if (metrics) {
      deps.writer.addSample({
        tenantId: context.tenantId,
        processType: decision.processType,
        sampledAt: now,
        depth: decision.observed.depth,
        latencyMs: decision.observed.latencyMs === null ? null : Math.round(decision.observed.latencyMs),
        busy: decision.observed.busy,
        scheduled: metrics.queues.reduce((sum, q) => sum + q.scheduled, 0),
        retries: metrics.queues.reduce((sum, q) => sum + q.retries, 0),
        dynos: recorded.currentQuantity,
      });
    }
  }
  if (formation && formation.kind === "ok") {
    state.formation = { readAtMs: state.formation?.readAtMs ?? startedMs, quantities: { ...state.formation?.quantities, ...formation.quantities } };
  } else if (formation && formation.kind !== "not_authorized") {
    problems.push(formation.message);
    failures.push(formation.failure);
  }
  for (const [processType, why] of context.invalidRules) {
    problems.push(`${processType}: rules are invalid (${why})`);
    failures.push("invalid_rules");
  }

  deps.writer.setHealth({ tenantId: context.tenantId, checkedAt: now, good: problems.length === 0, error: problems.length ? problems.join(" ") : null });
  countCheck(failures);
  checkDurationSeconds.observe((clock() - startedMs) / 1000);
  return { tenantId: context.tenantId, lagMs, decisions, formation, events, state, failures };
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

function event(
  context: CheckContext,
  processType: string,
  occurredAt: Date,
  fromQuantity: number,
  toQuantity: number,
  reason: string,
  metrics: Prisma.InputJsonValue,
  outcome: ScaleOutcome,
  apiLatencyMs: number | null,
  error: string | null,
): ScaleEventRow {
  return { tenantId: context.tenantId, processType, occurredAt, fromQuantity, toQuantity, reason, metrics, outcome, apiLatencyMs, error };
}
