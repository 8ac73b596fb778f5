import { MAX_DYNOS_PER_APP, maxDynosPerProcessType, processTypeLimitPhrase } from "@/lib/scaling/heroku-limits";
import { composeReason, formatCount, formatSeconds, plural } from "@/lib/scaling/reason";
import { combinedQueueTimeMs, lastWindowRequestsPerSecond, meanServiceMsOf, type WebWindow } from "@/lib/scaling/web-windows";

export type { WebWindow, QueueTimePercentiles } from "@/lib/scaling/web-windows";

/**
 * Web dynos scale on request queue time: how long a request waited between Heroku's router
 * and the app (`X-Request-Start`). Queue time, not response time, says whether more dynos
 * would help: a slow endpoint is slow on any number of dynos, a queue is not.
 */

/** The knobs of a web rule (the dashboard's web form; `processRuleSchema`'s `web` part, plus min and max). */
export interface WebRule {
  processType: string;
  /** The queue-time percentile compared with the thresholds. */
  percentile: "p95" | "p90";
  /** Reports that closed within the last this-many seconds are combined into one percentile. */
  windowSeconds: number;
  /** Percentile above this (ms): add dynos, in proportion to how far above. */
  upscaleThresholdMs: number;
  /** Percentile below this (ms): remove one dyno, after the cooldown. Between the two: hold. */
  downscaleThresholdMs: number;
  /** At least 1: a web process type with no dyno answers nothing. */
  minQuantity: number;
  maxQuantity: number;
  /** Most dynos added in one decision. */
  maxStep: number;
  /** No second upscale sooner than this after the last (new dynos take a while to boot). */
  upscaleCooldownSeconds: number;
  /** No downscale sooner than this after the last change either way. */
  downscaleCooldownSeconds: number;
  /** Fraction of a dyno's capacity the throughput floor plans for (0–1]. */
  targetUtilisation: number;
  /** Requests one dyno serves at once (Puma threads × workers, Gunicorn workers …); default 1. */
  concurrencyPerDyno?: number;
  /** Heroku dyno size: Eco and Basic run one dyno per process type, Performance 10. Null: Standard. */
  dynoSize?: string | null;
  /** Decide and explain, but `apply` is false. */
  dryRun?: boolean;
}

/** Everything one web decision reads. */
export interface WebDecisionInput {
  rule: WebRule;
  /** Dynos of this process type now (booting ones count). */
  currentQuantity: number;
  /** Recent reports, any order, any number of dynos; those older than the rule's window are ignored. */
  windows: readonly WebWindow[];
  now: Date;
  lastUpscaleAt?: Date | null;
  lastDownscaleAt?: Date | null;
  /** Dynos the app runs in its other process types (Heroku runs 100 per app). Default 0. */
  otherAppDynos?: number;
  /** Mean service time in ms when the caller knows it; else the windows' own, if they report it. */
  meanServiceMs?: number | null;
}

/** What settled a web decision. */
export type WebDriver = "queue-time" | "throughput" | "cooldown" | "steady" | "bounds" | "limit" | "missing";

export interface WebDecision {
  processType: string;
  currentQuantity: number;
  /** The quantity to set (equal to current when holding). */
  targetQuantity: number;
  /** What queue time and throughput alone ask for, before cooldowns, the step, min, max and Heroku's limits. */
  neededQuantity: number;
  direction: "up" | "down" | "none";
  /** True when the caller should change the formation (a change, and not a dry run). */
  apply: boolean;
  driver: WebDriver;
  /** The rule's percentile over the window, ms; null when no request was seen. */
  queueTimeMs: number | null;
  /** Requests in the windows combined. */
  requests: number;
  /** The last window's request rate, requests a second. */
  requestsPerSecond: number;
  /** Dynos the last window's throughput needs (0 when the service time is unknown). */
  throughputFloor: number;
  /** The largest quantity Heroku allows this process type now. */
  limit: number;
  /** For a person: "web 3 → 5: p95 queue time 412 ms > 250 ms over 60 s; 1 240 requests/min". */
  reason: string;
}

/** "412 ms", "8.5 ms", "1.2 s". */
export function formatMs(ms: number): string {
  if (ms >= 1000) return formatSeconds(ms / 1000);
  if (ms >= 10) return `${formatCount(ms)} ms`;
  return `${(Math.round(ms * 10) / 10).toString()} ms`;
}

/** Dynos `requestsPerSecond` keeps busy at the target utilisation; 0 without a service time. */
export function throughputFloorOf(rule: WebRule, requestsPerSecond: number, meanServiceMs: number | null): number {
  if (meanServiceMs === null || meanServiceMs <= 0 || requestsPerSecond <= 0) return 0;
  const busySlots = (requestsPerSecond * meanServiceMs) / 1000;
  return Math.ceil(busySlots / (rule.targetUtilisation * Math.max(1, rule.concurrencyPerDyno ?? 1)) - 1e-9);
}

function secondsSince(then: Date | null | undefined, now: Date): number {
  return then ? (now.getTime() - then.getTime()) / 1000 : Infinity;
}

/**
 * One web decision. Pure: no I/O and no clock of its own, so the check, the rules preview and
 * the web benchmark (in simulated time) all run exactly this.
 *
 * - Percentile above the upscale threshold: add `ceil(current × (observed / threshold − 1))`
 *   dynos (at least one, at most `maxStep`), no sooner than the upscale cooldown after the last,
 *   and then on the reports that closed after that cooldown only (the dynos it added are
 *   working by then; older reports show the queue they were added for).
 * - Below the downscale threshold: remove one dyno, no sooner than the downscale cooldown after
 *   the last change, never below what the last window's throughput needs
 *   (`ceil(requests/s × mean service time / (target utilisation × concurrency))`), never below min.
 * - Between the thresholds: hold (the gap is the hysteresis that stops flapping).
 * - No report within the window: hold, never downscale on no data.
 * - Always within `[min, max]` and Heroku's limits for the dyno size and the app; when a
 *   limit is below min, the limit wins.
 */
export function decideWeb(input: WebDecisionInput): WebDecision {
  const { rule, now } = input;
  const current = input.currentQuantity;
  const sinceMs = now.getTime() - rule.windowSeconds * 1000;
  // A report stamped a little after `now` (another process's clock) is still the newest data.
  const windows = input.windows.filter((w) => w.endedAt.getTime() > sinceMs);
  const limit = Math.max(0, Math.min(maxDynosPerProcessType(rule.dynoSize), MAX_DYNOS_PER_APP - (input.otherAppDynos ?? 0)));
  const ceiling = Math.min(rule.maxQuantity, limit);
  const floorOfBounds = Math.min(Math.max(1, rule.minQuantity), ceiling);
  const over = `over ${formatSeconds(rule.windowSeconds)}`;

  const queueTimeMs = combinedQueueTimeMs(windows, rule.percentile);
  const requests = windows.reduce((sum, w) => sum + w.requests, 0);
  const requestsPerSecond = windows.length > 0 ? lastWindowRequestsPerSecond(windows) : 0;
  const meanServiceMs = input.meanServiceMs ?? meanServiceMsOf(windows);
  const throughputFloor = throughputFloorOf(rule, requestsPerSecond, meanServiceMs);
  const rateText = `${formatCount(requestsPerSecond * 60)} requests/min`;
  const floorText = meanServiceMs === null ? null : `throughput needs ${plural(throughputFloor, "dyno")} (${rateText} × ${formatMs(meanServiceMs)} at ${Math.round(rule.targetUtilisation * 100)} % utilisation)`;

  let target = current;
  let needed = current;
  let driver: WebDriver = "steady";
  const parts: string[] = [];

  if (windows.length === 0) {
    driver = "missing";
    parts.push(`no web report in the last ${formatSeconds(rule.windowSeconds)}: holding, never downscaling without data`);
  } else {
    const observed = queueTimeMs ?? 0;
    const observedText = queueTimeMs === null ? `no request ${over}` : `${rule.percentile} queue time ${formatMs(observed)}`;
    if (observed > rule.upscaleThresholdMs) {
      const sinceUp = secondsSince(input.lastUpscaleAt, now);
      parts.push(`${observedText} > ${formatMs(rule.upscaleThresholdMs)} ${over}`);
      // After an upscale only reports that closed once its cooldown was over count for the
      // next one: older ones show the queue the added dynos were started for.
      const settledMs = input.lastUpscaleAt ? input.lastUpscaleAt.getTime() + rule.upscaleCooldownSeconds * 1000 : -Infinity;
      const settled = windows.filter((w) => w.endedAt.getTime() > settledMs);
      const recent = settled.length === windows.length ? observed : (combinedQueueTimeMs(settled, rule.percentile) ?? 0);
      const base = Math.max(1, current);
      const wanted = Math.max(1, Math.ceil(base * (recent / rule.upscaleThresholdMs - 1) - 1e-9));
      needed = recent > rule.upscaleThresholdMs ? Math.max(current + wanted, throughputFloor) : current;
      if (current >= 1 && sinceUp < rule.upscaleCooldownSeconds) {
        driver = "cooldown";
        parts.push(`upscale cooldown, ${formatSeconds(Math.ceil(rule.upscaleCooldownSeconds - sinceUp))} left`);
      } else if (current >= 1 && settled.length === 0) {
        driver = "cooldown";
        parts.push("waiting for a report from after the last upscale");
      } else if (recent <= rule.upscaleThresholdMs) {
        parts.push(`${rule.percentile} ${formatMs(recent)} since the last upscale: holding`);
      } else {
        if (settled.length < windows.length) parts.push(`${rule.percentile} ${formatMs(recent)} since the last upscale`);
        const added = Math.min(wanted, rule.maxStep);
        target = Math.max(current + added, throughputFloor);
        driver = throughputFloor > current + added ? "throughput" : "queue-time";
        if (added < wanted) parts.push(`${plural(wanted, "more dyno")} wanted, at most ${rule.maxStep} a decision`);
      }
      parts.push(rateText);
    } else if (observed < rule.downscaleThresholdMs) {
      parts.push(queueTimeMs === null ? `no request ${over}` : `${observedText} < ${formatMs(rule.downscaleThresholdMs)} ${over}`);
      const sinceChange = Math.min(secondsSince(input.lastUpscaleAt, now), secondsSince(input.lastDownscaleAt, now));
      const floor = Math.max(floorOfBounds, throughputFloor);
      needed = Math.max(current - 1, throughputFloor);
      if (current <= floor) {
        if (throughputFloor >= current && throughputFloor > floorOfBounds && floorText) {
          driver = "throughput";
          parts.push(floorText);
        }
      } else if (sinceChange < rule.downscaleCooldownSeconds) {
        driver = "cooldown";
        parts.push(`downscale cooldown, ${formatSeconds(Math.ceil(rule.downscaleCooldownSeconds - sinceChange))} left`);
      } else {
        target = current - 1;
        driver = "queue-time";
        if (throughputFloor >= target && floorText) parts.push(floorText);
      }
      if (!parts.some((p) => p.includes("requests/min"))) parts.push(rateText);
    } else {
      parts.push(`${observedText} within ${formatMs(rule.downscaleThresholdMs)}–${formatMs(rule.upscaleThresholdMs)} ${over}`, rateText);
    }
  }

  // min and max, then Heroku's limits (which win over min: Heroku would refuse the change).
  if (target < floorOfBounds) {
    target = floorOfBounds;
    driver = "bounds";
    parts.push(`raised to min ${floorOfBounds}`);
  }
  if (target > ceiling) {
    target = ceiling;
    const sizeLimit = processTypeLimitPhrase(rule.dynoSize);
    if (ceiling < rule.maxQuantity) {
      driver = "limit";
      parts.push(
        limit === maxDynosPerProcessType(rule.dynoSize) && sizeLimit
          ? `capped at ${limit}: ${sizeLimit}`
          : `capped at ${limit}: Heroku runs at most ${MAX_DYNOS_PER_APP} dynos per app (${plural(input.otherAppDynos ?? 0, "dyno")} in other process types)`,
      );
    } else {
      driver = "bounds";
      parts.push(`capped at max ${rule.maxQuantity}`);
    }
  }

  const direction = target > current ? "up" : target < current ? "down" : "none";
  return {
    processType: rule.processType,
    currentQuantity: current,
    targetQuantity: target,
    neededQuantity: needed,
    direction,
    apply: direction !== "none" && !rule.dryRun,
    driver,
    queueTimeMs,
    requests,
    requestsPerSecond,
    throughputFloor,
    limit,
    reason: composeReason(rule.processType, current, target, parts, rule.dryRun ?? false),
  };
}
