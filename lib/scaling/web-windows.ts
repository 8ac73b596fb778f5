/**
 * Combining web reports. Every web dyno's agent reports, for its own window (10 s by default),
 * how many requests it saw and the p50, p95 and p99 of their queue time. The engine needs one
 * percentile for the whole process type over the rule's window (say p95 over 60 s, from six
 * windows of each of several dynos) and the request rate of the last window. Pure.
 *
 * Percentiles do not average: the p95 of two dynos is not the mean of their p95s. Each window
 * is read as a distribution instead, and the windows are mixed, weighted by their request
 * counts, which is exact for the mixture of the distributions the windows stand for. Each
 * window's distribution is known only at its three percentiles, so between them it is taken
 * as linear (the CDF through (0 ms, 0), (p50, 0.5), (p95, 0.95), (p99, 0.99)), with the last
 * 1 % spread evenly above p99 over a quarter of the p95–p99 gap (the gap's own slope). So the
 * combined p95 of windows that agree is exactly their p95; where they differ it is the
 * percentile of the mixture under that linear model: an approximation, close when each
 * window's queue times are spread smoothly, and never the "mean of p95s" error, which hides
 * one badly queued dyno among idle ones.
 */

/** The queue-time percentiles one window reports, in ms. */
export interface QueueTimePercentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** One dyno's report of one window. */
export interface WebWindow {
  /** When the window closed (when its report arrived). */
  endedAt: Date;
  /** How long the window was, in seconds. */
  windowSeconds: number;
  /** Requests served in the window. */
  requests: number;
  /** Queue-time percentiles in ms; null when the window saw no request. */
  queueTimeMs: QueueTimePercentiles | null;
  /** Mean time to serve a request in ms (after it left the queue), when the agent knows it. */
  meanServiceMs?: number | null;
  /** The dyno that reported it (`web.3`); windows without one count as one reporter. */
  dyno?: string | null;
}

/** A percentile the engine can read from the combined windows. */
export type WebPercentile = "p50" | "p90" | "p95" | "p99";

const fractionOf: Record<WebPercentile, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

type Point = readonly [ms: number, fraction: number];

/** The window's CDF as corner points; percentiles out of order are made monotonic first. */
function cdfPoints(q: QueueTimePercentiles): Point[] {
  const p50 = Math.max(0, q.p50);
  const p95 = Math.max(p50, q.p95);
  const p99 = Math.max(p95, q.p99);
  return [[0, 0], [p50, 0.5], [p95, 0.95], [p99, 0.99], [p99 + (p99 - p95) / 4, 1]];
}

/** The CDF at `ms`, linear between corners, right-continuous where corners share an ms. */
function cdfAt(points: readonly Point[], ms: number): number {
  let value = 0;
  for (const [i, [x, f]] of points.entries()) {
    if (x > ms) {
      const [px, pf] = points[i - 1] ?? [0, 0];
      return x === px ? value : pf + ((ms - px) / (x - px)) * (f - pf);
    }
    value = f;
  }
  return value;
}

/**
 * The `percentile` of the request-weighted mixture of the windows' queue times, in ms; null
 * when no window saw a request.
 */
export function combinedQueueTimeMs(windows: readonly WebWindow[], percentile: WebPercentile): number | null {
  const weighted = windows.flatMap((w) => (w.requests > 0 && w.queueTimeMs ? [{ weight: w.requests, points: cdfPoints(w.queueTimeMs) }] : []));
  const total = weighted.reduce((sum, w) => sum + w.weight, 0);
  if (total === 0) return null;
  const target = fractionOf[percentile];
  const mixture = (ms: number): number => weighted.reduce((sum, w) => sum + w.weight * cdfAt(w.points, ms), 0) / total;
  // The mixture is linear between the union of every window's corners: find the corner where
  // it first reaches the target and interpolate back to the one before.
  const corners = [...new Set(weighted.flatMap((w) => w.points.map(([x]) => x)))].sort((a, b) => a - b);
  let previous = { ms: 0, fraction: 0 };
  for (const ms of corners) {
    const fraction = mixture(ms);
    if (fraction >= target - 1e-12) {
      if (fraction === previous.fraction || ms === previous.ms) return ms;
      return previous.ms + ((target - previous.fraction) / (fraction - previous.fraction)) * (ms - previous.ms);
    }
    previous = { ms, fraction };
  }
  return corners[corners.length - 1] ?? 0;
}

/**
 * The request rate of the last window, requests a second: each reporter's newest window,
 * summed over reporters whose newest window closed within two of its lengths of the newest
 * report (a dyno that has stopped reporting, e.g. one just removed, no longer counts).
 */
export function lastWindowRequestsPerSecond(windows: readonly WebWindow[]): number {
  const newestByDyno = new Map<string, WebWindow>();
  for (const window of windows) {
    const key = window.dyno ?? "";
    const known = newestByDyno.get(key);
    if (!known || known.endedAt.getTime() < window.endedAt.getTime()) newestByDyno.set(key, window);
  }
  const newestMs = Math.max(...[...newestByDyno.values()].map((w) => w.endedAt.getTime()));
  let rate = 0;
  for (const window of newestByDyno.values()) {
    if (newestMs - window.endedAt.getTime() > 2 * window.windowSeconds * 1000) continue;
    if (window.windowSeconds > 0) rate += window.requests / window.windowSeconds;
  }
  return rate;
}

/** The request-weighted mean service time of the windows that report one, ms; null if none does. */
export function meanServiceMsOf(windows: readonly WebWindow[]): number | null {
  let requests = 0;
  let totalMs = 0;
  for (const window of windows) {
    if (window.meanServiceMs === null || window.meanServiceMs === undefined || window.requests <= 0) continue;
    requests += window.requests;
    totalMs += window.requests * window.meanServiceMs;
  }
  return requests > 0 ? totalMs / requests : null;
}

/** What a check records of a web process type's windows: the last window's rate and the combined percentiles. */
export function summarizeWebWindows(windows: readonly WebWindow[]): { requestsPerMinute: number; queueTimeMs: QueueTimePercentiles | null } {
  const p50 = combinedQueueTimeMs(windows, "p50");
  const p95 = combinedQueueTimeMs(windows, "p95");
  const p99 = combinedQueueTimeMs(windows, "p99");
  return {
    requestsPerMinute: windows.length > 0 ? lastWindowRequestsPerSecond(windows) * 60 : 0,
    queueTimeMs: p50 === null || p95 === null || p99 === null ? null : { p50, p95, p99 },
  };
}
