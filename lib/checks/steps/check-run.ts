import type { CheckFailureKind } from "@/lib/checks/failure-kind";
import type { Redis } from "ioredis";
import type { CheckContext } from "@/lib/checks/check-context";
import type { CheckState } from "@/lib/checks/check-state";
import type { RecordWriter } from "@/lib/checks/record-writer";
import { scaleEvent, type ScaleEventInput, type ScaleEventRow } from "@/lib/checks/scale-event";
import type { HerokuTarget } from "@/lib/heroku/formation";
import type { ScalingRules } from "@/lib/scaling/rules";

export interface CheckDeps {
  redis: Redis;
  writer: RecordWriter;
  now?: () => number;
}

/**
 * The working set one check passes from step to step: what it read, what it found wrong and
 * the events it leaves. Each step reads what the earlier ones put here and adds its own part.
 */
export interface CheckRun {
  context: CheckContext;
  deps: CheckDeps;
  clock: () => number;
  startedMs: number;
  now: Date;
  /** The rules with the tenant-wide pause and dry run folded into every process type. */
  rules: ScalingRules;
  /** Null without a scaling authorization: decisions are recorded, nothing is changed. */
  target: HerokuTarget | null;
  state: CheckState;
  events: ScaleEventRow[];
  /** Why this check is not healthy, one sentence each; joined into the health row. */
  problems: string[];
  /** The kind of each problem, in the same order (lib/checks/failure-kind.ts). */
  failures: CheckFailureKind[];
}

/** A run at the start of a check. */
export function startCheckRun(context: CheckContext, previous: CheckState, deps: CheckDeps): CheckRun {
  const clock = deps.now ?? Date.now;
  const startedMs = clock();
  return {
    context,
    deps,
    clock,
    startedMs,
    now: new Date(startedMs),
    rules: {
      ...context.rules,
      processTypes: context.rules.processTypes.map((rule) => ({
        ...rule,
        paused: rule.paused || context.paused,
        dryRun: rule.dryRun || context.dryRun,
      })),
    },
    target: context.scalingAccount
      ? { tenantId: context.tenantId, appRef: context.appRef, account: context.scalingAccount, redis: deps.redis, now: clock }
      : null,
    state: { ...previous, history: { ...previous.history } },
    events: [],
    problems: [],
    failures: [],
  };
}

/** Records why this check is not healthy, with the kind the metrics and events count. */
export function addProblem(run: CheckRun, message: string, kind: CheckFailureKind): void {
  run.problems.push(message);
  run.failures.push(kind);
}

/** Adds a scale event of this check. */
export function addEvent(run: CheckRun, input: ScaleEventInput): void {
  run.events.push(scaleEvent(run.context.tenantId, run.now, input));
}
