/**
 * The workload model behind "Tune from history": how much work arrived, and when, estimated
 * from an app's recorded checks. A replay of the recorded queue cannot say how another
 * formation would have drained it; arrivals can be fed to any formation (lib/tuning/simulate.ts).
 *
 * The estimator. Work in the system is N = depth + busy (jobs waiting plus jobs running). Over
 * the interval between two checks, what arrived is what the system gained plus what it finished:
 *
 *   arrivals = ΔN + completions,   completions = busy × Δt ÷ jobSeconds
 *
 * with busy the mean of the two checks' running jobs, and jobSeconds the rule's typical job time
 * or, when the rule does not say, estimated from draining checks (`estimateJobSeconds`).
 *
 * Its limits, each said to the customer where it applies:
 * - Per-minute roll-ups keep each minute's maxima, so their arrivals are an upper bound.
 * - Hourly roll-ups are not used: an hour's maxima cannot say how work arrived within it.
 * - Without a busy count (a probe that cannot tell), running jobs are taken as every slot of
 *   the recorded dynos while a backlog waits, and none otherwise: quiet work is missed.
 * - Jobs are taken to run `jobSeconds` each, whatever their queue; scheduled and retried jobs
 *   count only as the rules of the time counted them into the recorded depth.
 */

/** One stored row of metric_samples, as the tuner reads it. */
export interface HistoryRow {
  atMs: number;
  resolution: "raw" | "minute" | "hour";
  depth: number;
  busy: number | null;
  dynos: number | null;
}

/** A stretch of recorded history and the work estimated to have arrived in it. */
export interface Segment {
  startMs: number;
  endMs: number;
  arrivals: number;
  resolution: "raw" | "minute";
}

export interface JobTimeEstimate {
  seconds: number;
  source: "rule" | "estimated" | "assumed";
  /** Draining intervals the estimate rests on (0 unless estimated). */
  intervals: number;
}

/** The arrivals the simulator replays: one value per simulated step that history covers. */
export interface Workload {
  stepSeconds: number;
  /** Start of each covered step, ascending; gaps in history are left out. */
  stepStartMs: number[];
  /** Jobs estimated to arrive during each step (fractional: a fluid model). */
  arrivals: number[];
  jobSeconds: number;
  /** Dynos recorded at the first sample, where the simulation starts. */
  initialDynos: number;
}

/** Job time assumed when neither the rule nor the samples say: about a minute. */
export const ASSUMED_JOB_SECONDS = 60;
/** Fewer draining intervals than this and the job time is assumed, not estimated. */
const MIN_DRAIN_INTERVALS = 5;

/**
 * The rows to model, oldest first: raw checks, then per-minute roll-ups where no raw check
 * covers the minute (the fold moves rows, so overlap is rare, but a finer row always wins).
 * Hourly rows are dropped (see the module's limits).
 */
export function usableRows(rows: readonly HistoryRow[]): HistoryRow[] {
  const rawMinutes = new Set<number>();
  for (const row of rows) if (row.resolution === "raw") rawMinutes.add(Math.floor(row.atMs / 60_000));
  return rows
    .filter((row) => row.resolution === "raw" || (row.resolution === "minute" && !rawMinutes.has(Math.floor(row.atMs / 60_000))))
    .sort((a, b) => a.atMs - b.atMs);
}

/** Running jobs a row says, or its stand-in when the probe could not tell. */
function busyOf(row: HistoryRow, concurrencyPerDyno: number): number {
  if (row.busy !== null) return Math.max(0, row.busy);
  return row.depth > 0 ? Math.max(0, row.dynos ?? 0) * concurrencyPerDyno : 0;
}

interface Interval {
  startMs: number;
  endMs: number;
  row: HistoryRow;
  /** The row before, when it is contiguous with this one. */
  previous: HistoryRow | null;
}

/**
 * Each row's stretch of time. A raw check covers the time since the check before (a gap of
 * more than three intervals is a gap in history, and the check covers one interval); a
 * per-minute row covers its minute.
 */
function intervalsOf(rows: readonly HistoryRow[], checkIntervalSeconds: number): Interval[] {
  const stepMs = checkIntervalSeconds * 1000;
  const out: Interval[] = [];
  let previous: HistoryRow | null = null;
  let previousEndMs = -Infinity;
  for (const row of rows) {
    let startMs: number;
    let endMs: number;
    if (row.resolution === "minute") {
      startMs = row.atMs;
      endMs = row.atMs + 60_000;
    } else {
      const contiguous = previous !== null && row.atMs - previousEndMs <= 3 * stepMs && row.atMs > previousEndMs;
      startMs = contiguous ? previousEndMs : row.atMs - stepMs;
      endMs = row.atMs;
    }
    startMs = Math.max(startMs, previousEndMs);
    if (endMs <= startMs) continue;
    const contiguous = previous !== null && startMs - previousEndMs <= Math.max(3 * stepMs, 1000);
    out.push({ startMs, endMs, row, previous: contiguous ? previous : null });
    previous = row;
    previousEndMs = endMs;
  }
  return out;
}

/**
 * The typical job time the samples show. Over an interval in which the work in the system fell,
 * at least the fall was finished: completions ≥ −ΔN, so busy × Δt ÷ −ΔN bounds the job time
 * from above (exactly when nothing arrived meanwhile). Only raw intervals with a backlog at both
 * checks count (every slot busy throughout, so busy is known between the checks), and the
 * estimate is the ratio of their sums, Σ busy × Δt ÷ Σ −ΔN, so a probe's rounding of depth
 * cancels out. Fewer than five such intervals: the job time is assumed (`ASSUMED_JOB_SECONDS`).
 */
export function estimateJobSeconds(rows: readonly HistoryRow[], checkIntervalSeconds: number): JobTimeEstimate {
  let slotSeconds = 0;
  let finished = 0;
  let intervals = 0;
  for (const interval of intervalsOf(rows.filter((r) => r.resolution === "raw"), checkIntervalSeconds)) {
    const { row, previous } = interval;
    if (!previous || row.busy === null || previous.busy === null || previous.depth <= 0 || row.depth <= 0) continue;
    const fell = previous.depth + previous.busy - (row.depth + row.busy);
    const busy = (previous.busy + row.busy) / 2;
    if (fell <= 0 || busy <= 0) continue;
    slotSeconds += (busy * (interval.endMs - interval.startMs)) / 1000;
    finished += fell;
    intervals += 1;
  }
  if (intervals < MIN_DRAIN_INTERVALS) return { seconds: ASSUMED_JOB_SECONDS, source: "assumed", intervals };
  return { seconds: Math.min(86_400, Math.max(0.1, slotSeconds / finished)), source: "estimated", intervals };
}

/**
 * The work that arrived in each stretch of history: ΔN + busy × Δt ÷ jobSeconds. An interval
 * that comes out negative (a probe's rounding, a job time a little off) arrives nothing and
 * carries the shortfall into the next ones, at most the work that was in the system, so the
 * total is not biased up by dropping it. The first row of a contiguous run (the first of all, or
 * the first after a gap) counts its whole queue as arrived then, since it came from somewhere.
 */
export function estimateArrivals(
  rows: readonly HistoryRow[],
  options: { checkIntervalSeconds: number; jobSeconds: number; concurrencyPerDyno: number },
): Segment[] {
  const jobSeconds = Math.max(0.1, options.jobSeconds);
  let shortfall = 0;
  return intervalsOf(usableRows(rows), options.checkIntervalSeconds).map(({ startMs, endMs, row, previous }) => {
    const busyNow = busyOf(row, options.concurrencyPerDyno);
    const seconds = (endMs - startMs) / 1000;
    let arrivals: number;
    if (!previous) {
      arrivals = row.depth + (busyNow * seconds) / jobSeconds;
    } else {
      const busyBefore = busyOf(previous, options.concurrencyPerDyno);
      // A roll-up row holds its minute's maxima: its own busy, not a mean with the row before.
      const busy = row.resolution === "minute" ? busyNow : (busyBefore + busyNow) / 2;
      const gained = row.depth + busyNow - (previous.depth + busyBefore);
      arrivals = gained + (busy * seconds) / jobSeconds + shortfall;
    }
    shortfall = Math.max(Math.min(0, arrivals), -(row.depth + busyNow));
    return { startMs, endMs, arrivals: Math.max(0, arrivals), resolution: row.resolution === "minute" ? "minute" : "raw" };
  });
}

/**
 * Spreads each stretch's arrivals evenly over the simulation steps it overlaps. Steps no
 * stretch covers (gaps in history) are left out, so the simulation skips them.
 */
export function buildWorkload(segments: readonly Segment[], options: { stepSeconds: number; jobSeconds: number; initialDynos: number }): Workload {
  const stepMs = options.stepSeconds * 1000;
  const byStep = new Map<number, number>();
  for (const segment of segments) {
    const span = segment.endMs - segment.startMs;
    if (span <= 0) continue;
    for (let step = Math.floor(segment.startMs / stepMs); step * stepMs < segment.endMs; step += 1) {
      const overlap = Math.min(segment.endMs, (step + 1) * stepMs) - Math.max(segment.startMs, step * stepMs);
      if (overlap <= 0) continue;
      byStep.set(step, (byStep.get(step) ?? 0) + (segment.arrivals * overlap) / span);
    }
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  return {
    stepSeconds: options.stepSeconds,
    stepStartMs: steps.map((step) => step * stepMs),
    arrivals: steps.map((step) => byStep.get(step) ?? 0),
    jobSeconds: options.jobSeconds,
    initialDynos: options.initialDynos,
  };
}
