import type { Bounds } from "@/lib/scaling/schedule";
import type { WebWindow } from "@/lib/scaling/web-windows";

/** What a probe saw in one queue at one instant. */
export interface QueueMetrics {
  name: string;
  /** Jobs ready to run now (not scheduled for later, not waiting to retry). */
  depth: number;
  /** Age of the oldest ready job in ms; null when the backend cannot tell (or the queue is empty). */
  latencyMs: number | null;
  /** Jobs of this queue running right now; null when the backend cannot tell. */
  busy: number | null;
  /** Jobs scheduled for later; counted only when the rule says so. */
  scheduled: number;
  /** Jobs waiting to be retried; counted only when the rule says so. */
  retries: number;
  /** When the probe took this reading (not when it reached us). */
  sampledAt: Date;
}

/** Everything probed for one process type. */
export interface ProcessMetrics {
  queues: readonly QueueMetrics[];
  /**
   * The highest dyno number (worker.N) with a job running, when the probe can tell (Sidekiq's
   * process list names each dyno); null or absent otherwise. Heroku stops the highest-numbered
   * dynos first, so downscaling to at least this number kills no running job.
   */
  highestBusyDyno?: number | null;
  /**
   * Web process types (`kind: "web"`): the agents' recent request windows, every dyno's, for
   * the rule's window. Queue process types leave it out.
   */
  web?: readonly WebWindow[];
}

/** Metrics for every process type, by process type. A missing entry means "not probed". */
export type MetricsByProcess = Readonly<Record<string, ProcessMetrics | undefined>>;

/** One past decision, as the engine needs to remember it. */
export interface HistorySample {
  at: Date;
  /** What the metrics alone asked for then (before bounds, stabilization and pre-warming). */
  neededQuantity: number;
  /** What the decision asked for after bounds (the downscale delay keeps the largest of these). */
  wantedQuantity: number;
  /** Counted ready jobs then; pre-warming reads the queue's growth from these. */
  depth: number;
}

/**
 * What `decide` remembers about one process type between checks. The scheduler keeps it (in
 * Redis or Postgres) and hands it back each check; `recordDecision` computes the next one.
 *
 * It must hold samples for at least `historyWindowSeconds(rule)`; anything older is ignored.
 */
export interface ProcessHistory {
  /** The formation quantity as last read or set (booting dynos count). */
  currentQuantity: number;
  lastUpscaleAt: Date | null;
  lastDownscaleAt: Date | null;
  /** The last time a job was queued or running; null if never seen. Drives scale to zero. */
  lastWorkAt: Date | null;
  /** Recent decisions, oldest first. */
  samples: readonly HistorySample[];
  /**
   * When work began after an idle spell (a job seen with none seen at the check before), over
   * the last hour; keep-warm counts these. Absent is the same as empty.
   */
  workStarts?: readonly Date[];
  /**
   * For each of `workStarts`, the most jobs (queued plus running) seen during that spell of
   * work: how many jobs a cold start there would have kept waiting. Absent entries count as 1.
   */
  workStartLoads?: readonly number[];
  /**
   * For each of `workStarts`, the seconds the process type had been idle before it (no job
   * queued or running); null when no earlier work was seen. Keep-warm weighs these gaps.
   */
  workStartIdleSeconds?: readonly (number | null)[];
  /**
   * For `prewarm.lastWeek`: the largest `neededQuantity` recorded between 7 days ago and
   * 7 days ago plus `bootSeconds` plus one check interval; null or absent when the scheduler
   * has no samples from then. The scheduler reads it from stored samples.
   */
  lastWeekNeededQuantity?: number | null;
  /**
   * Formation mode with quieting: the dynos (worker.N by number) told to stop taking work and
   * when, until they are removed or restarted. Absent is the same as none.
   */
  quieted?: readonly QuietedDyno[];
}

/** A dyno told to stop taking work, by its number (worker.3 → 3). */
export interface QuietedDyno {
  dyno: number;
  at: Date;
}

/** What the queue store says about one formation dyno's workers. */
export interface DynoWorkStatus {
  /** Every worker process of the dyno has stopped fetching. */
  quiet: boolean;
  /** Jobs running on the dyno. */
  busy: number;
}

export type HistoryByProcess = Readonly<Record<string, ProcessHistory | undefined>>;

/** Which input settled the decision; the reason says it in words. */
export type DecisionDriver =
  | "depth"
  | "latency"
  | "busy"
  | "wake"
  | "idle"
  | "prewarm-growth"
  | "prewarm-last-week"
  | "schedule"
  | "bounds"
  | "cooldown"
  | "delay"
  | "steady"
  | "stale"
  | "missing"
  | "paused"
  | "queue-time"
  | "throughput"
  | "limit";

/** The engine's answer for one process type. */
export interface ProcessDecision {
  processType: string;
  currentQuantity: number;
  /** The quantity this decision asks for (equal to current when it holds). */
  desiredQuantity: number;
  /** What the metrics alone asked for; recorded so later decisions can stabilize on it. */
  neededQuantity: number;
  /** `neededQuantity` after pre-warming and bounds: what the downscale delay remembers. */
  wantedQuantity: number;
  direction: "up" | "down" | "none";
  /** True when the caller should send a formation update (a change, not dry run, not paused). */
  apply: boolean;
  dryRun: boolean;
  paused: boolean;
  /** True when metrics were missing or stale and the engine held. */
  fallback: boolean;
  driver: DecisionDriver;
  bounds: Bounds;
  /** Counted depth, max latency and busy workers the decision read (null when unknown). */
  observed: { depth: number; latencyMs: number | null; busy: number | null };
  /** A sentence a person can read, e.g. "worker 2 → 5: latency 48 s > 10 s upscale threshold; …". */
  reason: string;
}
