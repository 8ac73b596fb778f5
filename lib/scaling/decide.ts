import { secondsSince, shapeDownscale, shapeUpscale, type Shaped } from "@/lib/scaling/gates";
import { computeNeed, type Need } from "@/lib/scaling/need";
import { checkTrust, observe, type Observation, type Untrusted } from "@/lib/scaling/observe";
import { growthPrewarm, lastWeekPrewarm, prewarmNotWorth } from "@/lib/scaling/prewarm";
import {
  busyPhrase,
  composeReason,
  depthPhrase,
  formatSeconds,
  latencyPhrase,
  plural,
} from "@/lib/scaling/reason";
import type { ProcessRule, ScalingRules } from "@/lib/scaling/rules";
import { boundsAt, type Bounds } from "@/lib/scaling/schedule";
import { decideWebProcess } from "@/lib/scaling/web-process";
import type {
  DecisionDriver,
  HistoryByProcess,
  MetricsByProcess,
  ProcessDecision,
  ProcessHistory,
  ProcessMetrics,
} from "@/lib/scaling/types";

/** History for a process type the scheduler has never seen: no dynos known, nothing recent. */
export function emptyHistory(currentQuantity = 0): ProcessHistory {
  return { currentQuantity, lastUpscaleAt: null, lastDownscaleAt: null, lastWorkAt: null, samples: [] };
}

function clamp(quantity: number, bounds: Bounds): number {
  return Math.min(Math.max(quantity, bounds.minQuantity), bounds.maxQuantity);
}


function boundsPhrase(bounds: Bounds, which: "min" | "max"): string {
  const value = which === "min" ? bounds.minQuantity : bounds.maxQuantity;
  const source = bounds.schedule ? ` (schedule ${bounds.schedule})` : "";
  return which === "min" ? `raised to min ${value}${source}` : `capped at max ${value}${source}`;
}

function holdDecision(
  rule: ProcessRule,
  current: number,
  bounds: Bounds,
  driver: DecisionDriver,
  why: string,
  flags: { paused: boolean; fallback: boolean },
): ProcessDecision {
  // Paused holds exactly; a fallback hold still obeys min and max, which come from the
  // customer, not from the metrics that could not be trusted.
  const desired = flags.paused ? current : clamp(current, bounds);
  const parts = [why];
  if (desired > current) parts.push(boundsPhrase(bounds, "min"));
  if (desired < current) parts.push(boundsPhrase(bounds, "max"));
  return {
    processType: rule.processType,
    currentQuantity: current,
    desiredQuantity: desired,
    neededQuantity: current,
    wantedQuantity: desired,
    direction: desired > current ? "up" : desired < current ? "down" : "none",
    apply: desired !== current && !rule.dryRun && !flags.paused,
    dryRun: rule.dryRun,
    paused: flags.paused,
    fallback: flags.fallback,
    driver: desired === current ? driver : "bounds",
    bounds,
    observed: { depth: 0, latencyMs: null, busy: null },
    reason: composeReason(rule.processType, current, desired, parts, rule.dryRun),
  };
}

function untrustedPhrase(untrusted: Untrusted): string {
  if (untrusted.kind === "stale") {
    return `metrics stale (sampled ${formatSeconds(Math.round(untrusted.ageSeconds))} ago, limit ${formatSeconds(untrusted.limitSeconds)}): holding, never downscaling on stale data`;
  }
  const which = untrusted.queues.length > 0 ? ` for ${untrusted.queues.join(", ")}` : "";
  return `metrics missing${which}: holding, never downscaling without data`;
}

/**
 * Web reports whose newest is older than the staleness limit (a silent agent), or null. Agents
 * report once a window (10 s), which can be longer than three checks of a fast plan, so the
 * limit is at least three of the newest report's windows.
 */
function staleWebReports(rule: ProcessRule, metrics: ProcessMetrics | undefined, checkIntervalSeconds: number, now: Date): Untrusted | null {
  const newest = (metrics?.web ?? []).reduce<{ endedAt: Date; windowSeconds: number } | null>((a, w) => (a && a.endedAt >= w.endedAt ? a : w), null);
  if (!newest) return null; // none at all: decideWeb holds and says so
  const limitSeconds = Math.max(rule.fallback.staleAfterIntervals * checkIntervalSeconds, 3 * newest.windowSeconds);
  const ageSeconds = (now.getTime() - newest.endedAt.getTime()) / 1000;
  return ageSeconds > limitSeconds ? { kind: "stale", ageSeconds, limitSeconds } : null;
}

/** The metric phrases, the one that drove the decision first. */
function metricParts(rule: ProcessRule, seen: Observation, need: Need): string[] {
  const latency = rule.metric === "depth" ? null : latencyPhrase(rule, seen, need.latencyVerdict);
  const depth = rule.metric === "latency" && need.driver !== "depth" ? null : depthPhrase(rule, seen);
  const busy = seen.busy !== null && seen.busy > 0 ? busyPhrase(rule, seen.busy) : null;
  const order =
    need.driver === "latency"
      ? [latency, depth, busy]
      : need.driver === "busy"
        ? [busy, latency, depth]
        : need.driver === "wake"
          ? ["wake on first job", depth, latency]
          : [depth, latency, busy];
  return order.filter((p): p is string => p !== null);
}

/** One process type's decision. */
export function decideProcess(
  rule: ProcessRule,
  metrics: ProcessMetrics | undefined,
  history: ProcessHistory,
  checkIntervalSeconds: number,
  now: Date,
  otherAppDynos = 0,
): ProcessDecision {
  const current = history.currentQuantity;
  const bounds = boundsAt(rule, now);
  if (rule.paused) {
    return holdDecision(rule, current, bounds, "paused", "paused", { paused: true, fallback: false });
  }
  if (rule.kind === "web") {
    const stale = staleWebReports(rule, metrics, checkIntervalSeconds, now);
    if (stale) return holdDecision(rule, current, { ...bounds, minQuantity: Math.max(1, bounds.minQuantity) }, "stale", untrustedPhrase(stale), { paused: false, fallback: true });
    return decideWebProcess(rule, metrics, history, bounds, otherAppDynos, now);
  }
  const untrusted = checkTrust(rule, metrics, checkIntervalSeconds, now);
  if (untrusted || !metrics) {
    const why = untrusted ? untrustedPhrase(untrusted) : "metrics missing";
    return holdDecision(rule, current, bounds, untrusted?.kind ?? "missing", why, { paused: false, fallback: true });
  }

  const seen = observe(rule, metrics);
  const need = computeNeed(rule, seen, {
    currentQuantity: current,
    sinceUpscaleSeconds: secondsSince(history.lastUpscaleAt, now),
  });
  let wanted = need.quantity;
  let driver: DecisionDriver = need.driver === "idle" ? "steady" : need.driver;
  const prewarmNotes: string[] = [];
  if (rule.prewarm.growth) {
    const growth = growthPrewarm(rule, seen, history, need.busyDynos, checkIntervalSeconds, now);
    if (growth && growth.quantity > wanted) {
      const notWorth = prewarmNotWorth(rule, growth, wanted, seen.depth, checkIntervalSeconds);
      if (notWorth) {
        prewarmNotes.push(notWorth);
      } else {
        wanted = growth.quantity;
        driver = "prewarm-growth";
        prewarmNotes.push(
          `pre-warm: backlog growing, ${plural(growth.projectedDepth ?? 0, "job")} expected in ${formatSeconds(rule.bootSeconds + checkIntervalSeconds)}`,
        );
      }
    }
  }
  if (rule.prewarm.lastWeek) {
    const weekly = lastWeekPrewarm(history);
    if (weekly && weekly.quantity > wanted) {
      wanted = weekly.quantity;
      driver = "prewarm-last-week";
      prewarmNotes.push(`pre-warm: ${plural(weekly.quantity, "dyno")} needed this time last week`);
    }
  }

  const wantedInBounds = clamp(wanted, bounds);
  const boundsNotes: string[] = [];
  if (wantedInBounds > wanted) {
    boundsNotes.push(boundsPhrase(bounds, "min"));
    driver = bounds.schedule ? "schedule" : "bounds";
  } else if (wantedInBounds < wanted) {
    boundsNotes.push(boundsPhrase(bounds, "max"));
    // The cap settled it, not the metric that asked for more.
    driver = bounds.schedule ? "schedule" : "bounds";
  }

  let shaped: Shaped = { target: wantedInBounds, driver: null, notes: [] };
  if (wantedInBounds > current) shaped = shapeUpscale(rule, history, bounds, wantedInBounds, now);
  else if (wantedInBounds < current) shaped = shapeDownscale(rule, history, bounds, seen, wantedInBounds, now, checkIntervalSeconds);
  const desired = clamp(shaped.target, bounds);
  if (shaped.driver) driver = shaped.driver;

  const metricsText = metricParts(rule, seen, need);
  const parts = shaped.driver
    ? [...shaped.notes, ...prewarmNotes, ...metricsText, ...boundsNotes]
    : [...prewarmNotes, ...metricsText, ...boundsNotes, ...shaped.notes];
  return {
    processType: rule.processType,
    currentQuantity: current,
    desiredQuantity: desired,
    neededQuantity: need.quantity,
    wantedQuantity: wantedInBounds,
    direction: desired > current ? "up" : desired < current ? "down" : "none",
    apply: desired !== current && !rule.dryRun,
    dryRun: rule.dryRun,
    paused: false,
    fallback: false,
    driver,
    bounds,
    observed: { depth: seen.depth, latencyMs: seen.latencyMs, busy: seen.busy },
    reason: composeReason(rule.processType, current, desired, parts, rule.dryRun),
  };
}

/**
 * Decides the formation for every process type the rules name. Pure: the same rules, metrics,
 * history and clock always give the same decisions, so the scheduler, the rules preview and
 * the policy benchmark all run exactly this. A process type with no history is taken to run
 * no dynos; one with no metrics holds.
 */
export function decide(
  rules: ScalingRules,
  metrics: MetricsByProcess,
  history: HistoryByProcess,
  now: Date,
): ProcessDecision[] {
  // Heroku runs at most 100 dynos an app: a web decision counts the other process types' dynos.
  const quantityOf = (processType: string): number => history[processType]?.currentQuantity ?? 0;
  const appDynos = rules.processTypes.reduce((sum, rule) => sum + quantityOf(rule.processType), 0);
  return rules.processTypes.map((rule) =>
    decideProcess(
      rule,
      metrics[rule.processType],
      history[rule.processType] ?? emptyHistory(),
      rules.checkIntervalSeconds,
      now,
      appDynos - quantityOf(rule.processType),
    ),
  );
}
