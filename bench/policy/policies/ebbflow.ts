import type { Knobs, Observation, SimActions, SimPolicy } from "@/bench/policy/policy";
import { confirmDownscale } from "@/lib/scaling/confirm";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import { planDrain, ruleForQuietDrain } from "@/lib/scaling/plan-drain";
import { planOneOff } from "@/lib/scaling/plan-one-off";
import { processRuleSchema, type ProcessRule, type ProcessRuleInput } from "@/lib/scaling/rules";
import type { DynoWorkStatus, MetricsByProcess, ProcessHistory } from "@/lib/scaling/types";
import { downscaleDelayOf } from "@/lib/scaling/wait-target";

/**
 * How the dynos come and go: `formation` sets the quantity (Heroku stops the top dynos),
 * `quiet` quiets the dynos about to go and drops them once idle (`planDrain`), `one-off`
 * starts run-to-completion one-off dynos (`planOneOff`).
 */
export type EbbflowMode = "formation" | "quiet" | "one-off";

const week = 7 * 86_400;

/**
 * The agent's enqueue wake as the agents implement it (docs/AGENT_PROTOCOL.md): at most one
 * early report per 5 s, sent only while Ebbflow's last answer (one report, 10 s, after the
 * drop) said the process type is at zero; the report, the triggered check and the queue read
 * take about a second.
 */
export const agentWake = { latencySeconds: 1, minGapSeconds: 5, knownAfterSeconds: 10 } as const;

/**
 * Ebbflow as the scheduler runs it: every check the production `decide` reads the probed
 * metrics and the history, and `recordDecision` keeps the history, exactly as the worker does.
 * The simulator stands in for the probe (the metrics) and for Heroku (the formation).
 */
export function ebbflowPolicy(options: {
  name: string;
  rule: ProcessRuleInput;
  checkIntervalSeconds: number;
  reportingDelaySeconds: number;
  startMs: number;
  /** Whether the probe can name the busy dynos (Sidekiq's process list can). */
  seesBusyDynos: boolean;
  mode?: EbbflowMode;
  /** One-off mode: the trace's dyno size (Heroku's concurrent one-off limit depends on it). */
  dynoSize?: string;
  /** The agent wakes Ebbflow when a job is pushed to an empty formation (`agentWake`). */
  wakeOnEnqueue?: boolean;
}): SimPolicy {
  const mode = options.mode ?? "formation";
  const rule: ProcessRule = processRuleSchema.parse(
    mode === "one-off"
      ? { ...options.rule, mode: "one-off", oneOff: { command: "bundle exec rake jobs:workoff", size: options.dynoSize ?? "standard-1x" } }
      : options.rule,
  );
  // With quieting the engine decides on busy workers ÷ concurrency, as the check does.
  const rules = { checkIntervalSeconds: options.checkIntervalSeconds, processTypes: [mode === "quiet" ? ruleForQuietDrain(rule) : rule] };
  const seesBusyDynos = options.seesBusyDynos && mode !== "quiet";
  let history: ProcessHistory = emptyHistory(0);
  // What the scheduler would store for weekly pre-warming: needed quantity by time.
  const neededAt: number[] = [];
  const needed: number[] = [];

  const lastWeekNeed = (nowSeconds: number): number | null => {
    const from = nowSeconds - week;
    const to = from + rule.bootSeconds + options.checkIntervalSeconds;
    let lo = 0;
    let hi = neededAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((neededAt[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    let best: number | null = null;
    for (let i = lo; i < neededAt.length && (neededAt[i] as number) <= to; i++) best = Math.max(best ?? 0, needed[i] as number);
    return best;
  };

  const knobs: Knobs = {
    interval: `${options.checkIntervalSeconds} s`,
    min: rule.minQuantity,
    max: rule.maxQuantity,
    concurrency: rule.concurrencyPerDyno,
    metric: rule.metric,
    upscaleLatency: `${rule.upscaleLatencySeconds} s`,
    downscaleDelay: rule.downscale.delaySeconds === null ? `boot + check (${downscaleDelayOf(rule, options.checkIntervalSeconds)} s)` : `${rule.downscale.delaySeconds} s`,
    idleToZero: `${rule.scaleToZero.idleSeconds} s`,
    keepWarm: rule.scaleToZero.keepWarmAfterStarts > 0 ? `${rule.scaleToZero.keepWarmSeconds} s after ${rule.scaleToZero.keepWarmAfterStarts} starts/h` : "off",
    prewarm: [rule.prewarm.growth ? "growth" : "", rule.prewarm.lastWeek ? "last-week" : ""].filter(Boolean).join("+") || "off",
    busyDynos: options.seesBusyDynos ? "named per dyno" : `count only (${rule.downscale.whenBusyDynosUnknown})`,
    wake: options.wakeOnEnqueue && mode !== "one-off" ? "agent wakes on enqueue at zero" : "off",
    mode: mode === "one-off" ? `one-off (${rule.oneOff.size}, ttl ${rule.oneOff.timeToLiveSeconds} s)` : mode === "quiet" ? `formation, quiet then drop (drain limit ${rule.drainLimitSeconds} s)` : "formation",
  };

  /** One-off mode: the production decision read with the running one-off dynos, then `planOneOff`. */
  const checkOneOff = (observation: Observation, now: Date): SimActions => {
    history = { ...history, currentQuantity: observation.oneOffRunning };
    const decision = decide(rules, toMetrics(observation), { [rule.processType]: history }, now)[0];
    if (!decision) return { quantity: null };
    const plan = planOneOff(rule, decision, { running: observation.oneOffRunning, runningOnApp: observation.oneOffRunning });
    history = recordDecision(rule, history, plan.decision, now, options.checkIntervalSeconds, plan.start > 0);
    return { quantity: null, startOneOff: plan.start };
  };

  return {
    name: options.name,
    knobs,
    checkIntervalSeconds: options.checkIntervalSeconds,
    reportingDelaySeconds: options.reportingDelaySeconds,
    initialQuantity: mode === "one-off" ? 0 : rule.minQuantity,
    // One-off mode lists the app's dynos each check (GET /apps/{app}/dynos) to count its own.
    apiReadsPerCheck: mode === "one-off" ? 1 : 0,
    oneOffTimeToLiveSeconds: mode === "one-off" ? rule.oneOff.timeToLiveSeconds : undefined,
    // The wake starts dynos from zero; one-off mode has no formation to wake.
    wakeOnEnqueue: options.wakeOnEnqueue && mode !== "one-off" ? agentWake : undefined,
    // The agent reports at once after quieting, and the report of a quiet idle dyno Ebbflow
    // asked to quiet starts a check at once.
    checkOnQuietIdle: mode === "quiet" && options.wakeOnEnqueue ? { latencySeconds: agentWake.latencySeconds } : undefined,
    check(observation: Observation, nowSeconds: number, probeNow: () => Observation): number | null | SimActions {
      const now = new Date(options.startMs + nowSeconds * 1000);
      if (mode === "one-off") return checkOneOff(observation, now);
      history = { ...history, currentQuantity: observation.quantity };
      if (rule.prewarm.lastWeek) history = { ...history, lastWeekNeededQuantity: lastWeekNeed(nowSeconds) };
      const decideOn = (seen: Observation) => decide(rules, toMetrics(seen), { [rule.processType]: history }, now)[0];
      const first = decideOn(observation);
      if (!first) return null;
      // As the check step does: a downscale is confirmed on a fresh probe right before acting.
      let decision = first.direction === "down" ? confirmDownscale(first, decideOn(probeNow()) ?? first) : first;
      let actions: SimActions | null = null;
      if (mode === "quiet") {
        // As the drain step does: what the store says of each dyno right before acting.
        const status = new Map<number, DynoWorkStatus>(probeNow().dynos.map((d) => [d.dyno, { quiet: d.quiet, busy: d.busy }]));
        const plan = planDrain(rule, decision, history.quieted ?? [], status, now);
        decision = plan.decision;
        history = { ...history, quieted: plan.quieted };
        actions = { quantity: null, quiet: plan.quiet, restart: plan.restart };
      }
      history = recordDecision(rule, history, decision, now, options.checkIntervalSeconds, decision.apply);
      if (rule.prewarm.lastWeek) {
        neededAt.push(nowSeconds);
        needed.push(Math.max(decision.neededQuantity, Math.ceil(observation.busy / rule.concurrencyPerDyno)));
      }
      const quantity = decision.apply ? decision.desiredQuantity : null;
      return actions ? { ...actions, quantity } : quantity;
    },
  };

  /** The simulator's observation as the probe would report it. */
  function toMetrics(observation: Observation): MetricsByProcess {
    const sampledAt = new Date(options.startMs + observation.sampledAtSeconds * 1000);
    return {
      [rule.processType]: {
        queues: observation.queues.map((q) => ({
          name: q.name,
          depth: q.depth,
          latencyMs: q.latencySeconds === null ? null : q.latencySeconds * 1000,
          busy: q.busy,
          scheduled: 0,
          retries: 0,
          sampledAt,
        })),
        highestBusyDyno: seesBusyDynos ? observation.highestBusyDyno : null,
      },
    };
  }
}
