import type { Knobs, Observation, SimPolicy } from "@/bench/policy/policy";
import { confirmDownscale } from "@/lib/scaling/confirm";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import { processRuleSchema, type ProcessRule, type ProcessRuleInput } from "@/lib/scaling/rules";
import type { MetricsByProcess, ProcessHistory } from "@/lib/scaling/types";

const week = 7 * 86_400;

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
}): SimPolicy {
  const rule: ProcessRule = processRuleSchema.parse(options.rule);
  const rules = { checkIntervalSeconds: options.checkIntervalSeconds, processTypes: [rule] };
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
    downscaleDelay: `${rule.downscale.delaySeconds} s`,
    idleToZero: `${rule.scaleToZero.idleSeconds} s`,
    keepWarm: rule.scaleToZero.keepWarmAfterStarts > 0 ? `${rule.scaleToZero.keepWarmSeconds} s after ${rule.scaleToZero.keepWarmAfterStarts} starts/h` : "off",
    prewarm: [rule.prewarm.growth ? "growth" : "", rule.prewarm.lastWeek ? "last-week" : ""].filter(Boolean).join("+") || "off",
    busyDynos: options.seesBusyDynos ? "named per dyno" : `count only (${rule.downscale.whenBusyDynosUnknown})`,
  };

  return {
    name: options.name,
    knobs,
    checkIntervalSeconds: options.checkIntervalSeconds,
    reportingDelaySeconds: options.reportingDelaySeconds,
    initialQuantity: rule.minQuantity,
    apiReadsPerCheck: 0,
    check(observation: Observation, nowSeconds: number, probeNow: () => Observation): number | null {
      const now = new Date(options.startMs + nowSeconds * 1000);
      history = { ...history, currentQuantity: observation.quantity };
      if (rule.prewarm.lastWeek) history = { ...history, lastWeekNeededQuantity: lastWeekNeed(nowSeconds) };
      const decideOn = (seen: Observation) => decide(rules, toMetrics(seen), { [rule.processType]: history }, now)[0];
      const first = decideOn(observation);
      if (!first) return null;
      // As the check step does: a downscale is confirmed on a fresh probe right before acting.
      const decision = first.direction === "down" ? confirmDownscale(first, decideOn(probeNow()) ?? first) : first;
      history = recordDecision(rule, history, decision, now, options.checkIntervalSeconds, decision.apply);
      if (rule.prewarm.lastWeek) {
        neededAt.push(nowSeconds);
        needed.push(Math.max(decision.neededQuantity, Math.ceil(observation.busy / rule.concurrencyPerDyno)));
      }
      return decision.apply ? decision.desiredQuantity : null;
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
        highestBusyDyno: options.seesBusyDynos ? observation.highestBusyDyno : null,
      },
    };
  }
}
