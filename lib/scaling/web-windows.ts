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

/**
 * The `percentile` of the request-weighted mixture of the windows' queue times, in ms; null
 * when no window saw a request. The mixture's CDF is piecewise linear too: one sweep over every
 * window's corners, in order, adds up its slopes and jumps until it reaches the target, so a
 * check with thousands of windows (100 dynos over a 10-minute window) stays O(n log n).
 */
export function combinedQueueTimeMs(windows: readonly WebWindow[], percentile: WebPercentile): number | null {
  return combinedQueueTimesMs(windows, [percentile])[0] ?? null;
}

/** Several percentiles of the same mixture in one sweep (in the order asked); nulls when no window saw a request. */
export function combinedQueueTimesMs(windows: readonly WebWindow[], percentiles: readonly WebPercentile[]): (number | null)[] {
  const events: Array<{ ms: number; jump: number; slope: number }> = [];
  let total = 0;
  for (const window of windows) {
    if (window.requests <= 0 || !window.queueTimeMs) continue;
    const weight = window.requests;
    total += weight;
    const points = cdfPoints(window.queueTimeMs);
    for (const [k, [x0, f0]] of points.entries()) {
      const [x1, f1] = points[k + 1] ?? [x0, f0];
      const rise = weight * (f1 - f0);
      if (rise === 0) continue;
      if (x1 === x0) events.push({ ms: x0, jump: rise, slope: 0 });
      else events.push({ ms: x0, jump: 0, slope: rise / (x1 - x0) }, { ms: x1, jump: 0, slope: -rise / (x1 - x0) });
    }
  }
  if (total === 0) return percentiles.map(() => null);
  events.sort((a, b) => a.ms - b.ms);
  const order = percentiles.map((p, index) => ({ target: fractionOf[p] * total, index })).sort((a, b) => a.target - b.target);
  const found: (number | null)[] = percentiles.map(() => null);
  // Sums of slopes are not exact: a target reached within rounding is reached.
  const tolerance = total * 1e-12;
  let next = 0;
  let value = 0;
  let slope = 0;
  let at = 0;
  for (const event of events) {
    const reached = value + slope * (event.ms - at);
    for (let want = order[next]; want && reached >= want.target - tolerance && slope > 0; want = order[++next]) {
      found[want.index] = Math.min(event.ms, at + Math.max(0, want.target - value) / slope);
    }
    value = reached + event.jump;
    at = event.ms;
    for (let want = order[next]; want && value >= want.target - tolerance; want = order[++next]) found[want.index] = at;
    if (next >= order.length) break;
    slope += event.slope;
  }
  for (const want of order.slice(next)) found[want.index] = at;
  return found;
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
  const [p50 = null, p95 = null, p99 = null] = combinedQueueTimesMs(windows, ["p50", "p95", "p99"]);
  return {
    requestsPerMinute: windows.length > 0 ? lastWindowRequestsPerSecond(windows) * 60 : 0,
    queueTimeMs: p50 === null || p95 === null || p99 === null ? null : { p50, p95, p99 },
  };
}
