import { composeReason, formatSeconds, plural } from "@/lib/scaling/reason";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { DynoWorkStatus, ProcessDecision, QuietedDyno } from "@/lib/scaling/types";

/** What the check (or the benchmark) does about quieting for one process type. */
export interface DrainPlan {
  /** The decision to act on: the engine's, a smaller drop, or a hold that says why. */
  decision: ProcessDecision;
  /** Dyno numbers to tell to stop taking work now. */
  quiet: number[];
  /** Quieted dyno numbers that are wanted again and idle: restart them (a restart un-quiets). */
  restart: number[];
  /** The quieted dynos after this plan, to keep in the history. */
  quieted: QuietedDyno[];
}

/**
 * Quiet, drain, then drop. Heroku stops the highest-numbered dynos when a quantity goes down,
 * and a job that lands on one of them in the meantime is killed. So before lowering N → M the
 * engine quiets dynos M+1 … N (they finish what they run and fetch nothing more), each once
 * a reading finds it idle (a busy one keeps serving until then), holds until
 * the queue store says each is quiet and idle, and only then lowers the quantity: to M, or to
 * just above the highest dyno still draining. A dyno counts as idle only once it reports quiet
 * (the signal is taken on the worker's next heartbeat), so nothing can land on it after the
 * reading. Past the rule's drain limit it keeps holding and says so: a busy dyno is never
 * stopped. When load comes back, quieted dynos that are wanted again are restarted as soon as
 * they are idle, rather than left quiet.
 *
 * `status` is null when the store could not be read: then no dyno counts as idle. Pure, like
 * `decide`: the check and the policy benchmark both run it.
 */
export function planDrain(
  rule: ProcessRule,
  decision: ProcessDecision,
  quieted: readonly QuietedDyno[],
  status: ReadonlyMap<number, DynoWorkStatus> | null,
  now: Date,
): DrainPlan {
  const current = decision.currentQuantity;
  const lowering = decision.apply && decision.direction === "down";
  // The dynos the load wants: on a hold (a dyno still draining, the downscale delay) the
  // quantity wanted now, so a hold alone does not restart dynos that are on their way out.
  const keep = lowering || decision.direction === "up" ? decision.desiredQuantity : decision.fallback || decision.paused ? current : decision.wantedQuantity;
  const idle = (dyno: number): boolean => {
    const seen = status?.get(dyno);
    return seen !== undefined && seen.quiet && seen.busy === 0;
  };

  // Quieted dynos beyond the formation are gone; those wanted again restart once idle (a
  // restart would stop the jobs a busy one still runs). One wanted again that the store does
  // not list has no worker that took the signal (it was booting, or its process is new): it
  // is simply no longer counted as quieted. Restarting it would kill what it picks up between
  // this reading and Heroku acting.
  const stillThere = quieted.filter((q) => q.dyno <= current);
  const restart = stillThere.filter((q) => q.dyno <= keep && status !== null && idle(q.dyno)).map((q) => q.dyno);
  const forgotten = stillThere.filter((q) => q.dyno <= keep && status !== null && !status.has(q.dyno)).map((q) => q.dyno);
  let nextQuieted = stillThere.filter((q) => !restart.includes(q.dyno) && !forgotten.includes(q.dyno));
  if (!lowering || decision.paused || decision.dryRun) {
    return { decision, quiet: [], restart, quieted: nextQuieted };
  }

  const leaving = range(decision.desiredQuantity + 1, current);
  const quietedSet = new Set(nextQuieted.map((q) => q.dyno));
  // A signal is sent again until the dyno reports quiet: a dyno that was booting had no
  // worker to take the first one.
  // A busy dyno is quieted only once it is idle at a check: quieted, it would take no new work
  // until its jobs end (for long jobs, up to an hour), and if the load came back meanwhile it
  // could not be restarted without killing them. Left unquieted it keeps serving and the drop
  // waits for it, as it would anyway.
  const quiet = leaving.filter((dyno) =>
    quietedSet.has(dyno) ? status !== null && status.get(dyno)?.quiet !== true : status !== null && (status.get(dyno)?.busy ?? 0) === 0,
  );
  nextQuieted = [...nextQuieted, ...quiet.filter((dyno) => !quietedSet.has(dyno)).map((dyno) => ({ dyno, at: now }))].sort((a, b) => a.dyno - b.dyno);

  // Heroku removes from the top: the quantity can drop to just above the highest leaving
  // dyno that is not yet quiet and idle.
  const draining = leaving.filter((dyno) => !idle(dyno));
  const dropTo = draining.length > 0 ? Math.max(...draining) : decision.desiredQuantity;
  const notes: string[] = [];
  const fresh = quiet.filter((dyno) => !quietedSet.has(dyno));
  if (fresh.length > 0) notes.push(`quieting ${dynoList(rule, fresh)} before removing ${fresh.length === 1 ? "it" : "them"}`);
  const waiting = draining.filter((dyno) => !fresh.includes(dyno));
  if (waiting.length > 0) {
    const since = Math.min(...nextQuieted.filter((q) => waiting.includes(q.dyno)).map((q) => q.at.getTime()));
    const drainedSeconds = Math.max(0, (now.getTime() - since) / 1000);
    const busy = waiting.reduce((sum, dyno) => sum + (status?.get(dyno)?.busy ?? 0), 0);
    const what = status === null ? "the queue store could not be read" : busy > 0 ? `${plural(busy, "job")} still running` : "not yet quiet";
    notes.push(
      drainedSeconds > rule.drainLimitSeconds
        ? `${dynoList(rule, waiting)} still draining after ${formatSeconds(Math.floor(drainedSeconds))}, past the ${formatSeconds(rule.drainLimitSeconds)} drain limit (${what}): holding, never stopping a busy dyno`
        : `waiting for ${dynoList(rule, waiting)} to finish (${what}, quiet for ${formatSeconds(Math.floor(drainedSeconds))})`,
    );
  }
  if (dropTo >= current) {
    const reason = composeReason(rule.processType, current, current, [...notes, `wanted ${decision.desiredQuantity}: ${decision.reason}`], false);
    return { decision: { ...decision, desiredQuantity: current, direction: "none", apply: false, reason }, quiet, restart, quieted: nextQuieted };
  }
  const gone = nextQuieted.filter((q) => q.dyno > dropTo);
  const reason = `${decision.reason}; ${plural(gone.length, "quiet idle dyno")} removed${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`;
  return {
    decision: dropTo === decision.desiredQuantity ? { ...decision, reason } : { ...decision, desiredQuantity: dropTo, reason: composeReason(rule.processType, current, dropTo, [...notes, decision.reason], false) },
    quiet,
    restart,
    quieted: nextQuieted.filter((q) => q.dyno <= dropTo),
  };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

function dynoList(rule: ProcessRule, dynos: readonly number[]): string {
  return dynos.map((n) => `${rule.processType}.${n}`).join(", ");
}

/**
 * With quiet-then-drop the busy floor can count jobs instead of naming the highest busy dyno:
 * a dyno about to go finishes its jobs quietly while the others take the new work, and
 * `planDrain` drops it only once it is idle. So the engine decides on busy workers ÷
 * concurrency (and ignores which dyno runs them) for a process type whose dynos are quieted.
 */
export function ruleForQuietDrain(rule: ProcessRule): ProcessRule {
  return { ...rule, downscale: { ...rule.downscale, whenBusyDynosUnknown: "count" } };
}
