import { quantile } from "@/bench/lib/stats";
import { decideWeb, type WebRule, type WebWindow } from "@/lib/scaling/web-decide";
import type { WebPolicy } from "./run-day";

/** What one dyno's agent reports for a window: the request count and queue-time percentiles (ms). */
function agentWindow(dyno: string, queueTimesMs: number[], endedAt: Date, windowSeconds: number, meanServiceMs: number | null): WebWindow {
  return {
    dyno,
    endedAt,
    windowSeconds,
    meanServiceMs,
    requests: queueTimesMs.length,
    queueTimeMs: queueTimesMs.length
      ? { p50: quantile(queueTimesMs, 0.5), p95: quantile(queueTimesMs, 0.95), p99: quantile(queueTimesMs, 0.99) }
      : null,
  };
}

/**
 * Ebbflow: each dyno's agent measures queue time (now − X-Request-Start) as its requests start
 * and reports every `reportSeconds`; the check runs on the reports (Pro's push path) and asks
 * the production `decideWeb` for the quantity. Today's agents do not measure service time, so
 * by default none is given and the throughput floor plays no part; with
 * `reportServiceTime` the windows also carry their requests' mean service time (what an agent
 * timing its responses would send), to show what the floor would change.
 */
export function ebbflowPolicy(rule: WebRule, options: { reportSeconds?: number; reportServiceTime?: boolean; name?: string } = {}): WebPolicy {
  const reportSeconds = options.reportSeconds ?? 10;
  const current = new Map<string, number[]>();
  const service = new Map<string, { totalMs: number; count: number }>();
  let windows: WebWindow[] = [];
  let lastUpscaleAt: Date | null = null;
  let lastDownscaleAt: Date | null = null;
  const meanServiceMs = (dyno: string) => {
    const sum = service.get(dyno);
    return options.reportServiceTime && sum && sum.count > 0 ? sum.totalMs / sum.count : null;
  };
  return {
    name: options.name ?? "ebbflow",
    initialQuantity: rule.minQuantity,
    everySeconds: reportSeconds,
    onServiceStart: ({ dyno, queueMs }) => {
      const list = current.get(dyno);
      if (list) list.push(queueMs);
      else current.set(dyno, [queueMs]);
    },
    onResponse: ({ dyno, queueMs, responseMs }) => {
      if (!options.reportServiceTime) return;
      const sum = service.get(dyno) ?? { totalMs: 0, count: 0 };
      sum.totalMs += responseMs - queueMs;
      sum.count += 1;
      service.set(dyno, sum);
    },
    decide: (tSeconds, quantity) => {
      const now = new Date(tSeconds * 1000);
      for (const [dyno, times] of current) windows.push(agentWindow(dyno, times, now, reportSeconds, meanServiceMs(dyno)));
      current.clear();
      service.clear();
      const since = now.getTime() - rule.windowSeconds * 1000;
      windows = windows.filter((window) => window.endedAt.getTime() > since);
      const decision = decideWeb({ rule, currentQuantity: quantity, windows, now, lastUpscaleAt, lastDownscaleAt });
      if (!decision.apply) return null;
      if (decision.direction === "up") lastUpscaleAt = now;
      else lastDownscaleAt = now;
      return decision.targetQuantity;
    },
  };
}

export interface HerokuAutoscalingOptions {
  /** The "Desired p95 Response Time" setting, ms. */
  desiredP95Ms: number;
  minQuantity: number;
  maxQuantity: number;
  /** Minutes in a row that must meet the desired p95 before a downscale (our reading; 3). */
  calmMinutes?: number;
}

interface MinuteRecord {
  met: boolean;
  requestsPerSecondPerDyno: number;
}

/**
 * Heroku's built-in autoscaling as its Dev Center page describes it: p95 RESPONSE time
 * against the desired value, one dyno added or removed per event, events at least a minute
 * apart, scaling down less aggressively than up, using the past hour's data to find the
 * fewest dynos that meet the desired p95 at the current throughput. The page gives no
 * formula; this is our reading of it:
 * - every minute, the p95 response time of that minute's requests;
 * - above the desired p95: +1 dyno;
 * - otherwise, from the past hour's minutes that met the desired p95, the highest requests
 *   per second per dyno seen; when the current throughput needs fewer dynos than running at
 *   that rate, and the last `calmMinutes` minutes all met the desired p95: −1 dyno.
 */
export function herokuAutoscalingPolicy(options: HerokuAutoscalingOptions): WebPolicy {
  const calmMinutes = options.calmMinutes ?? 3;
  let minute: number[] = [];
  const hour: MinuteRecord[] = [];
  return {
    name: "heroku-autoscaling",
    initialQuantity: options.minQuantity,
    everySeconds: 60,
    onResponse: ({ responseMs }) => {
      minute.push(responseMs);
    },
    decide: (_tSeconds, quantity) => {
      const requestsPerSecond = minute.length / 60;
      const p95 = minute.length ? quantile(minute, 0.95) : 0;
      minute = [];
      const met = p95 <= options.desiredP95Ms;
      hour.push({ met, requestsPerSecondPerDyno: requestsPerSecond / quantity });
      if (hour.length > 60) hour.shift();
      if (!met) return quantity < options.maxQuantity ? quantity + 1 : null;
      const capacity = Math.max(0, ...hour.filter((record) => record.met).map((record) => record.requestsPerSecondPerDyno));
      if (capacity <= 0) return null;
      const needed = Math.max(options.minQuantity, Math.ceil(requestsPerSecond / capacity));
      const calm = hour.length >= calmMinutes && hour.slice(-calmMinutes).every((record) => record.met);
      return quantity > needed && calm ? quantity - 1 : null;
    },
  };
}

/** A fixed formation. */
export function staticPolicy(quantity: number, name = "static-at-peak"): WebPolicy {
  return { name, initialQuantity: quantity, everySeconds: 3600, decide: () => null };
}
