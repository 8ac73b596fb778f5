import type { Backend, ProbeResult, QueueProbe } from "@/lib/queues/schema";

export interface BackendReading {
  queues: QueueProbe[];
  /** Totals the backend keeps globally (Sidekiq's schedule set) rather than per queue. */
  busy?: number | null;
  scheduled?: number | null;
  retries?: number | null;
  due?: number | null;
  /** By process type, the highest-numbered dyno running a job, when the backend names dynos. */
  busyDynos?: Record<string, number>;
  roundTrips?: number;
  warnings?: string[];
}

/** Sums per-queue numbers; a total is unknown (null) if any part of it is unknown. */
function sumKnown(values: (number | null | undefined)[]): number | null {
  let total = 0;
  for (const value of values) {
    if (value === null || value === undefined) return null;
    total += value;
  }
  return total;
}

/**
 * Turns a backend's per-queue reading into the probe result: totals, the worst latency and
 * the timing. A queue with an unknown latency does not make the max unknown: the max is over
 * what is known, and null only when nothing is.
 */
export function summarize(
  backend: Backend | "push",
  reading: BackendReading,
  startedAtMs: number,
  nowMs: number,
): ProbeResult {
  const queues = [...reading.queues].sort((a, b) => a.name.localeCompare(b.name));
  const latencies = queues.map((q) => q.latencyMs).filter((v): v is number => v !== null);
  return {
    backend,
    queues,
    totalDepth: queues.reduce((sum, q) => sum + q.depth, 0),
    maxLatencyMs: latencies.length ? Math.max(...latencies) : null,
    busy: reading.busy !== undefined ? reading.busy : queues.length ? sumKnown(queues.map((q) => q.busy)) : 0,
    scheduled:
      reading.scheduled !== undefined ? reading.scheduled : queues.length ? sumKnown(queues.map((q) => q.scheduled)) : null,
    retries: reading.retries !== undefined ? reading.retries : queues.length ? sumKnown(queues.map((q) => q.retries)) : null,
    due: reading.due ?? null,
    ...(reading.busyDynos ? { busyDynos: reading.busyDynos } : {}),
    probedAt: new Date(nowMs).toISOString(),
    durationMs: Math.max(0, nowMs - startedAtMs),
    roundTrips: reading.roundTrips,
    warnings: reading.warnings ?? [],
  };
}

/** Age in ms of something that became ready at `readyAtMs`, never negative (clock skew). */
export function ageMs(nowMs: number, readyAtMs: number): number {
  return Math.max(0, Math.round(nowMs - readyAtMs));
}
