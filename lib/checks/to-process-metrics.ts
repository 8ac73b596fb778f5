import type { ProbeResult } from "@/lib/queues/schema";
import type { ProcessMetrics, QueueMetrics } from "@/lib/scaling/types";

/**
 * A probe's answer in the engine's terms. Some backends count scheduled jobs, retries, busy
 * workers or overdue jobs for the whole store rather than per queue (Sidekiq's schedule and
 * retry sets hold every queue's jobs); those totals are carried on the first queue so that
 * the engine counts them once. Overdue scheduled jobs ("due") are ready work that only a
 * running dyno would move onto a queue, so they count as depth: they wake an app at zero.
 */
export function toProcessMetrics(result: ProbeResult, processType: string): ProcessMetrics {
  const sampledAt = new Date(result.probedAt);
  const queues: QueueMetrics[] = result.queues.map((queue) => ({
    name: queue.name,
    depth: queue.depth,
    latencyMs: queue.latencyMs,
    busy: queue.busy,
    scheduled: queue.scheduled ?? 0,
    retries: queue.retries ?? 0,
    sampledAt,
  }));
  const highestBusyDyno = result.busyDynos ? (result.busyDynos[processType] ?? 0) : null;
  const first = queues[0];
  if (!first) return { queues, highestBusyDyno };
  if (result.queues.every((q) => q.scheduled === undefined || q.scheduled === null)) first.scheduled = result.scheduled ?? 0;
  if (result.queues.every((q) => q.retries === undefined || q.retries === null)) first.retries = result.retries ?? 0;
  if (queues.every((q) => q.busy === null) && result.busy !== null) first.busy = result.busy;
  first.depth += result.due ?? 0;
  return { queues, highestBusyDyno };
}
