import type { ProcessRule } from "@/lib/scaling/rules";
import { downscaleDelayOf } from "@/lib/scaling/wait-target";
import type { HistorySample, ProcessDecision, ProcessHistory } from "@/lib/scaling/types";

/** Growth pre-warming reads this many samples back; see `growthPrewarm`. */
const growthSamples = 3;

/**
 * How many seconds of samples `decide` needs: the downscale delay, plus enough checks for
 * growth pre-warming, plus one interval so the oldest sample still covers the whole delay at
 * the next check. The scheduler may keep more (charts), never less.
 */
export function historyWindowSeconds(rule: ProcessRule, checkIntervalSeconds: number): number {
  return Math.max(downscaleDelayOf(rule, checkIntervalSeconds), growthSamples * checkIntervalSeconds) + 2 * checkIntervalSeconds;
}

/**
 * The history after `decision` at `now`. `applied` says whether the formation really changed
 * (false for dry run, pause, or a formation update Heroku refused); only a real change moves
 * the current quantity and the last upscale or downscale time. Decisions on missing or stale
 * metrics add no sample: what they would record was not measured.
 */
export function recordDecision(
  rule: ProcessRule,
  history: ProcessHistory,
  decision: ProcessDecision,
  now: Date,
  checkIntervalSeconds: number,
  applied: boolean,
): ProcessHistory {
  const keepAfter = now.getTime() - historyWindowSeconds(rule, checkIntervalSeconds) * 1000;
  const samples: HistorySample[] = history.samples.filter((s) => s.at.getTime() >= keepAfter);
  if (!decision.fallback && !decision.paused) {
    samples.push({
      at: now,
      neededQuantity: decision.neededQuantity,
      wantedQuantity: decision.wantedQuantity,
      depth: decision.observed.depth,
    });
  }
  const working = !decision.fallback && (decision.observed.depth > 0 || (decision.observed.busy ?? 0) > 0);
  const hourAgo = now.getTime() - 3600 * 1000;
  const previousStarts = history.workStarts ?? [];
  const previousLoads = history.workStartLoads ?? [];
  const previousIdle = history.workStartIdleSeconds ?? [];
  const workStarts: Date[] = [];
  const workStartLoads: number[] = [];
  const workStartIdleSeconds: (number | null)[] = [];
  previousStarts.forEach((start, i) => {
    if (start.getTime() < hourAgo) return;
    workStarts.push(start);
    workStartLoads.push(previousLoads[i] ?? 1);
    workStartIdleSeconds.push(previousIdle[i] ?? null);
  });
  const idleBefore = history.lastWorkAt === null || now.getTime() - history.lastWorkAt.getTime() > 1.5 * checkIntervalSeconds * 1000;
  const load = decision.observed.depth + (decision.observed.busy ?? 0);
  if (working && idleBefore) {
    workStarts.push(now);
    workStartLoads.push(Math.max(1, load));
    workStartIdleSeconds.push(history.lastWorkAt === null ? null : (now.getTime() - history.lastWorkAt.getTime()) / 1000);
  } else if (working && workStartLoads.length > 0) {
    const last = workStartLoads.length - 1;
    workStartLoads[last] = Math.max(workStartLoads[last] ?? 1, load);
  }
  const changed = applied && decision.desiredQuantity !== history.currentQuantity;
  return {
    currentQuantity: changed ? decision.desiredQuantity : history.currentQuantity,
    lastUpscaleAt: changed && decision.direction === "up" ? now : history.lastUpscaleAt,
    lastDownscaleAt: changed && decision.direction === "down" ? now : history.lastDownscaleAt,
    lastWorkAt: working ? now : history.lastWorkAt,
    samples,
    workStarts,
    workStartLoads,
    workStartIdleSeconds,
    lastWeekNeededQuantity: history.lastWeekNeededQuantity,
    quieted: history.quieted,
  };
}
