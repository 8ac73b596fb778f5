import type { QuietChannel } from "@/lib/checks/check-context";
import { failureKindOf } from "@/lib/checks/failure-kind";
import { addEvent, addProblem, type CheckRun } from "@/lib/checks/steps/check-run";
import type { Decided } from "@/lib/checks/steps/decide-step";
import { restartDyno } from "@/lib/heroku/restart-dyno";
import { readReport } from "@/lib/queues/push";
import { setQuietInstructions } from "@/lib/queues/push-quiet";
import { quietSidekiqDynos, readSidekiqDynoStatus } from "@/lib/queues/quiet/sidekiq-dynos";
import { emptyHistory } from "@/lib/scaling/decide";
import { planDrain } from "@/lib/scaling/plan-drain";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { DynoWorkStatus, ProcessDecision } from "@/lib/scaling/types";

/** The quiet channel a formation-mode process type may use this check, or null. */
export function quietChannelFor(run: CheckRun, rule: ProcessRule): QuietChannel | null {
  // Web dynos are never drained: Heroku's router stops sending to a stopping dyno.
  if (rule.mode !== "formation" || rule.kind === "web") return null;
  return run.context.sources.get(rule.processType)?.quiet ?? null;
}

/** Dyno statuses by number, or null when the store (or the agent) cannot say. */
async function readStatus(run: CheckRun, rule: ProcessRule, channel: QuietChannel): Promise<Map<number, DynoWorkStatus> | null> {
  if (channel.kind === "sidekiq") return readSidekiqDynoStatus({ url: channel.url, namespace: channel.namespace, processType: rule.processType });
  const report = await readReport(run.deps.redis, run.context.tenantId, rule.processType, run.context.checkIntervalSeconds, run.clock());
  if (!report?.dynos) return null;
  const status = new Map<number, DynoWorkStatus>();
  for (const dyno of report.dynos) {
    const [type, number] = dyno.name.split(".");
    if (type === rule.processType && number) status.set(Number(number), { quiet: dyno.quiet, busy: dyno.busy });
  }
  return status;
}

/**
 * Step 4: quiet, drain, then drop, for formation-mode process types whose source may quiet
 * dynos (`planDrain` decides; this step reads the dynos' state, sends the quiet signals and
 * restarts quieted dynos the load wants again). A push agent that has never reported its
 * dynos (protocol 1) gets today's behaviour: nothing is quieted.
 */
export async function drainStep(run: CheckRun, decided: Decided): Promise<Decided> {
  const decisions: ProcessDecision[] = [];
  for (const decision of decided.decisions) {
    const rule = run.rules.processTypes.find((r) => r.processType === decision.processType);
    const channel = rule ? quietChannelFor(run, rule) : null;
    const history = decided.histories[decision.processType] ?? emptyHistory();
    const quieted = history.quieted ?? [];
    const lowering = decision.apply && decision.direction === "down";
    if (!rule || !channel || (!lowering && quieted.length === 0)) {
      decisions.push(decision);
      continue;
    }
    let status: Map<number, DynoWorkStatus> | null = null;
    try {
      status = await readStatus(run, rule, channel);
    } catch (error) {
      addProblem(run, `${rule.processType}: reading which dynos are quiet failed: ${(error as Error).message}`, failureKindOf(error));
    }
    if (channel.kind === "push" && status === null && quieted.length === 0) {
      decisions.push(decision); // an agent without protocol 2: nothing to quiet with
      continue;
    }
    const plan = planDrain(rule, decision, quieted, status, run.now);
    await sendQuiet(run, rule, channel, plan.quiet);
    for (const number of plan.restart) await restartQuieted(run, rule, number);
    decided.histories[decision.processType] = { ...history, quieted: plan.quieted };
    decisions.push(plan.decision);
  }
  return { ...decided, decisions };
}

async function sendQuiet(run: CheckRun, rule: ProcessRule, channel: QuietChannel, dynos: readonly number[]): Promise<void> {
  try {
    if (channel.kind === "sidekiq") {
      await quietSidekiqDynos({ url: channel.url, namespace: channel.namespace, processType: rule.processType }, dynos);
    } else {
      await setQuietInstructions(run.deps.redis, run.context.tenantId, rule.processType, dynos.map((n) => `${rule.processType}.${n}`));
    }
  } catch (error) {
    addProblem(run, `${rule.processType}: quieting dynos failed: ${(error as Error).message}`, failureKindOf(error));
  }
}

async function restartQuieted(run: CheckRun, rule: ProcessRule, number: number): Promise<void> {
  if (!run.target) return;
  const name = `${rule.processType}.${number}`;
  const outcome = await restartDyno(run.target, name);
  const current = run.state.history[rule.processType]?.currentQuantity ?? 0;
  addEvent(run, {
    processType: rule.processType,
    fromQuantity: current,
    toQuantity: current,
    reason: outcome.kind === "ok" ? `${name} restarted: load came back while it was quiet` : `${name} could not be restarted: ${outcome.message}`,
    outcome: outcome.kind === "ok" ? "applied" : "failed",
    apiLatencyMs: outcome.kind === "ok" ? outcome.latencyMs : null,
    error: outcome.kind === "ok" ? null : outcome.message,
  });
}
