import type { ProcessRule } from "@/lib/scaling/rules";
import type { ProcessMetrics, QueueMetrics } from "@/lib/scaling/types";

/** The metrics of one process type reduced to the numbers the engine sizes with. */
export interface Observation {
  /** Counted jobs waiting: ready jobs, plus scheduled and retries when the rule counts them. */
  depth: number;
  /** Oldest ready job's age over the selected queues, ms; null when no queue could tell. */
  latencyMs: number | null;
  /** Running jobs over the selected queues; null when no queue could tell. */
  busy: number | null;
  highestBusyDyno: number | null;
}

/** Why metrics cannot be trusted, or null when they can. */
export type Untrusted =
  | { kind: "missing"; queues: string[] }
  | { kind: "stale"; ageSeconds: number; limitSeconds: number };

function selectedQueues(rule: ProcessRule, metrics: ProcessMetrics): {
  found: QueueMetrics[];
  missing: string[];
} {
  if (rule.queues.length === 0) return { found: [...metrics.queues], missing: [] };
  const found: QueueMetrics[] = [];
  const missing: string[] = [];
  for (const name of rule.queues) {
    const queue = metrics.queues.find((q) => q.name === name);
    if (queue) found.push(queue);
    else missing.push(name);
  }
  return { found, missing };
}

/**
 * Checks that every selected queue was probed recently enough. A queue the rule names but the
 * probe did not report is missing, and so is a process type with no queue at all: both hold.
 */
export function checkTrust(
  rule: ProcessRule,
  metrics: ProcessMetrics | undefined,
  checkIntervalSeconds: number,
  now: Date,
): Untrusted | null {
  if (!metrics) return { kind: "missing", queues: rule.queues };
  const { found, missing } = selectedQueues(rule, metrics);
  if (missing.length > 0) return { kind: "missing", queues: missing };
  if (found.length === 0) return { kind: "missing", queues: [] };
  const limitSeconds = rule.fallback.staleAfterIntervals * checkIntervalSeconds;
  let oldest = Infinity;
  for (const queue of found) oldest = Math.min(oldest, queue.sampledAt.getTime());
  const ageSeconds = (now.getTime() - oldest) / 1000;
  if (ageSeconds > limitSeconds) return { kind: "stale", ageSeconds, limitSeconds };
  return null;
}

function finite(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Adds up the selected queues the way the rule says to count them. */
export function observe(rule: ProcessRule, metrics: ProcessMetrics): Observation {
  const { found } = selectedQueues(rule, metrics);
  let depth = 0;
  let latencyMs: number | null = null;
  let busy: number | null = null;
  for (const queue of found) {
    depth += finite(queue.depth);
    if (rule.count.scheduled) depth += finite(queue.scheduled);
    if (rule.count.retries) depth += finite(queue.retries);
    if (queue.latencyMs !== null && Number.isFinite(queue.latencyMs)) {
      latencyMs = Math.max(latencyMs ?? 0, queue.latencyMs);
    }
    if (queue.busy !== null && Number.isFinite(queue.busy)) busy = (busy ?? 0) + finite(queue.busy);
  }
  const highest = metrics.highestBusyDyno;
  return {
    depth,
    latencyMs,
    busy,
    highestBusyDyno: highest !== undefined && highest !== null && highest >= 0 ? highest : null,
  };
}
