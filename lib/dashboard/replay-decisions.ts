import { decide, emptyHistory } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { ProcessHistory, ProcessMetrics } from "@/lib/scaling/types";
import type { QueueTimePercentiles } from "@/lib/scaling/web-windows";

/** One recorded check of one process type, as metric_samples holds it. */
export interface RecordedSample {
  atMs: number;
  /** Counted depth (the rules of the time decided what counted). */
  depth: number;
  latencyMs: number | null;
  busy: number | null;
  dynos: number | null;
  /** Web process types: the request rate and the combined queue-time percentiles recorded. */
  requestsPerMinute?: number | null;
  queueTimeMs?: QueueTimePercentiles | null;
  /**
   * Seconds this sample stands for: absent for a check's own sample (the plan's interval), 60
   * for a per-minute roll-up (the worst of that minute's checks).
   */
  stepSeconds?: number;
}

export interface ReplayChange {
  atMs: number;
  fromQuantity: number;
  toQuantity: number;
  reason: string;
}

export interface ReplayResult {
  /** The quantity the rule would have run after each sample, in sample order. */
  quantities: number[];
  changes: ReplayChange[];
}

/**
 * Runs `rule` over recorded samples with the production `decide`, as if every decision it made
 * had been applied at once. The samples are totals over the rule's queues at the time, so the
 * replayed rule reads them as one queue. The queue itself is the one that happened: a
 * different formation would have drained it differently, which a replay cannot know.
 */
export function replayDecisions(rule: ProcessRule, samples: readonly RecordedSample[], checkIntervalSeconds: number): ReplayResult {
  const replayed: ProcessRule = { ...rule, queues: [], paused: false, dryRun: false };
  let history: ProcessHistory = emptyHistory(samples.find((s) => s.dynos !== null)?.dynos ?? replayed.minQuantity);
  const quantities: number[] = [];
  const changes: ReplayChange[] = [];
  for (const sample of samples) {
    const now = new Date(sample.atMs);
    // A per-minute roll-up replays as one check a minute.
    const interval = sample.stepSeconds ?? checkIntervalSeconds;
    const rules = { checkIntervalSeconds: interval, processTypes: [replayed] };
    const [decision] = decide(rules, { [replayed.processType]: recordedMetrics(replayed, sample, interval) }, { [replayed.processType]: history }, now);
    if (!decision) break;
    if (decision.desiredQuantity !== history.currentQuantity) {
      changes.push({ atMs: sample.atMs, fromQuantity: history.currentQuantity, toQuantity: decision.desiredQuantity, reason: decision.reason });
    }
    history = recordDecision(replayed, history, decision, now, interval, decision.apply);
    quantities.push(history.currentQuantity);
  }
  return { quantities, changes };
}

/**
 * A sample as the engine reads it. A web sample already combines every dyno over the rule of
 * the time's window; it replays as one window of one check interval with the recorded rate and
 * percentiles, so a replayed rule with a longer window mixes several of them.
 */
function recordedMetrics(rule: ProcessRule, sample: RecordedSample, checkIntervalSeconds: number): ProcessMetrics {
  const sampledAt = new Date(sample.atMs);
  if (rule.kind === "web") {
    if (sample.requestsPerMinute === null || sample.requestsPerMinute === undefined) return { queues: [], web: [] };
    const requests = Math.round((sample.requestsPerMinute * checkIntervalSeconds) / 60);
    return { queues: [], web: [{ endedAt: sampledAt, windowSeconds: checkIntervalSeconds, requests, queueTimeMs: requests > 0 ? (sample.queueTimeMs ?? null) : null }] };
  }
  return { queues: [{ name: "all", depth: sample.depth, latencyMs: sample.latencyMs, busy: sample.busy, scheduled: 0, retries: 0, sampledAt }] };
}

/** Dyno-seconds of a step function: each quantity runs until the next sample (the last runs one interval). */
export function dynoSeconds(atMs: readonly number[], quantities: readonly (number | null)[], lastStepMs: number): number {
  let total = 0;
  for (let i = 0; i < atMs.length; i += 1) {
    const start = atMs[i] ?? 0;
    const end = atMs[i + 1] ?? start + lastStepMs;
    total += (quantities[i] ?? 0) * (end - start);
  }
  return total / 1000;
}
