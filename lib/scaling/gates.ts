import { keepWarmVerdict } from "@/lib/scaling/keep-warm";
import type { Observation } from "@/lib/scaling/observe";
import { formatCount, formatSeconds, plural } from "@/lib/scaling/reason";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { Bounds } from "@/lib/scaling/schedule";
import type { DecisionDriver, ProcessHistory } from "@/lib/scaling/types";
import { downscaleDelayOf } from "@/lib/scaling/wait-target";

/** The target after the gates, the gate that settled it (if any) and what to say about it. */
export interface Shaped {
  target: number;
  driver: DecisionDriver | null;
  notes: string[];
}

/** Upscale gates: cooldown and step. Min always wins; waking from zero ignores the cooldown. */
export function shapeUpscale(rule: ProcessRule, history: ProcessHistory, bounds: Bounds, target: number, now: Date): Shaped {
  const current = history.currentQuantity;
  const belowMin = current < bounds.minQuantity;
  const sinceUp = secondsSince(history.lastUpscaleAt, now);
  if (!belowMin && current > 0 && sinceUp < rule.upscale.cooldownSeconds) {
    const left = Math.ceil(rule.upscale.cooldownSeconds - sinceUp);
    return { target: current, driver: "cooldown", notes: [`upscale cooldown, ${formatSeconds(left)} left`] };
  }
  if (rule.upscale.mode === "step" && target > current + rule.upscale.maxStep) {
    const stepped = Math.max(current + rule.upscale.maxStep, Math.min(target, bounds.minQuantity));
    return { target: stepped, driver: null, notes: [`stepping up at most ${rule.upscale.maxStep} a decision`] };
  }
  return { target, driver: null, notes: [] };
}

/** Downscale gates: stabilization delay, idle timeout, busy floor and step, in that order. */
export function shapeDownscale(
  rule: ProcessRule,
  history: ProcessHistory,
  bounds: Bounds,
  seen: Observation,
  target: number,
  now: Date,
  checkIntervalSeconds: number,
): Shaped {
  const current = history.currentQuantity;
  const notes: string[] = [];
  let driver: DecisionDriver | null = null;
  let result = target;

  // Whether the idle timeout (or keep-warm) allows zero now. Going to zero with nothing queued
  // or running is the idle timeout's call, not the delay's: the delay guards against a dip in
  // load, and "no work at all for the idle time" is not a dip.
  const working = seen.depth > 0 || (seen.busy ?? 0) > 0;
  const idle = working ? 0 : secondsSince(history.lastWorkAt, now);
  // Keep-warm only comes into it when the metrics would allow zero.
  const warm = target === 0 ? keepWarmVerdict(rule, history, checkIntervalSeconds, now) : null;
  const zeroAllowed = warm !== null && idle >= warm.idleWait;

  const delay = zeroAllowed ? 0 : downscaleDelayOf(rule, checkIntervalSeconds);
  if (delay > 0) {
    const since = now.getTime() - delay * 1000;
    const first = history.samples[0];
    // A history shorter than the delay (a restart, a new process type) cannot show the load
    // has been low for long enough: hold until it can.
    if (!first || first.at.getTime() > since) {
      return { target: current, driver: "delay", notes: [`downscale delay: less than ${formatSeconds(delay)} of history`] };
    }
    let recent = 0;
    for (const sample of history.samples) {
      if (sample.at.getTime() >= since) recent = Math.max(recent, sample.wantedQuantity);
    }
    recent = Math.min(recent, bounds.maxQuantity, current);
    if (recent > result) {
      result = recent;
      driver = "delay";
      notes.push(`downscale delay: ${formatCount(recent)} wanted during the last ${formatSeconds(delay)}`);
    }
  }

  if (warm !== null && result === 0 && !zeroAllowed) {
    result = Math.min(1, current);
    driver = "idle";
    const of = `${formatSeconds(Math.floor(idle))} of ${formatSeconds(warm.idleWait)}`;
    notes.push(warm.keepWarm && warm.note ? `${warm.note} (idle ${of})` : `idle ${of} before scaling to zero`);
  } else if (zeroAllowed && warm.note) {
    notes.push(warm.note);
  }

  if (rule.downscale.busyAware) {
    const busy = seen.busy ?? 0;
    const byBusy = Math.ceil(busy / rule.concurrencyPerDyno);
    const draining = seen.highestBusyDyno === null && busy > 0 && rule.downscale.whenBusyDynosUnknown === "drain";
    const floor = Math.min(current, draining ? current : Math.max(byBusy, seen.highestBusyDyno ?? 0));
    if (floor > result) {
      result = floor;
      driver = "busy";
      notes.push(
        draining
          ? `busy-aware: draining, ${plural(busy, "job")} running on dynos the probe cannot name`
          : seen.highestBusyDyno !== null && seen.highestBusyDyno >= byBusy
            ? `busy-aware: dyno ${seen.highestBusyDyno} still working`
            : `busy-aware: ${plural(floor, "dyno")} still working`,
      );
    }
  }

  const step = rule.downscale.maxStep;
  if (step !== null && current - result > step && current - step >= bounds.minQuantity) {
    result = current - step;
    notes.push(`stepping down at most ${step} a decision`);
  }
  return { target: result, driver, notes };
}

/** Seconds from `then` to `now`; Infinity when it never happened. */
export function secondsSince(then: Date | null, now: Date): number {
  return then === null ? Infinity : (now.getTime() - then.getTime()) / 1000;
}
