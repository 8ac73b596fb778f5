import { DEFAULT_DYNO_SIZE } from "@/lib/billing/dyno-prices";
import { formatSeconds } from "@/lib/scaling/reason";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { ProcessHistory } from "@/lib/scaling/types";
import { coldStartSeconds, dollarsPerDynoSecond, WAIT_SECOND_DOLLARS, waitTargetOf } from "@/lib/scaling/wait-target";

/** Whether the last dyno stays warm through idle time, how long, and why, in words. */
export interface KeepWarmVerdict {
  /** Idle seconds before the last dyno may go: the idle timeout, or longer to keep it warm. */
  idleWait: number;
  keepWarm: boolean;
  /** The reason's phrase; null when keep-warm does not come into it (not enough starts). */
  note: string | null;
}

/** The share of jobs a p95 target lets wait longer than it. */
const TAIL_SHARE = 0.05;

/**
 * Keep-warm, weighed rather than timed. When work stops, the last dyno can go to zero after
 * the idle timeout, or stay warm for the next work. Going to zero and booting again is billed
 * too (the idle timeout, then the boot), and the jobs that come wait a cold start: the boot
 * plus up to a check. Keeping the dyno warm through an idle gap costs the gap. From the last
 * hour's idle gaps before work started (at least `keepWarmAfterStarts` of them) and the jobs
 * each start brought:
 *
 * - when the usual gap is no longer than the idle timeout plus a boot, the warm dyno costs no
 *   more than zero-and-boot: it is kept (for twice that gap), and nobody waits;
 * - otherwise it is kept only when a cold start would break the p95 wait target (boot + check
 *   > target). Then it must stay warm through enough gaps that at most 5 % of the jobs still
 *   find no dyno: a shorter hold leaves the p95 at a cold start and buys nothing the target
 *   asks for. That hold must fit in `keepWarmSeconds`, and the dyno time it costs beyond
 *   going to zero must be worth no more than the wait it saves (each job's cold start, each
 *   second at `WAIT_SECOND_DOLLARS`).
 */
export function keepWarmVerdict(rule: ProcessRule, history: ProcessHistory, checkIntervalSeconds: number, now: Date): KeepWarmVerdict {
  const { idleSeconds, keepWarmAfterStarts, keepWarmSeconds } = rule.scaleToZero;
  const plain: KeepWarmVerdict = { idleWait: idleSeconds, keepWarm: false, note: null };
  if (keepWarmAfterStarts === 0 || keepWarmSeconds <= idleSeconds) return plain;
  const hourAgo = now.getTime() - 3600 * 1000;
  const spells: { gap: number; jobs: number }[] = [];
  (history.workStarts ?? []).forEach((start, i) => {
    const gap = history.workStartIdleSeconds?.[i];
    if (start.getTime() < hourAgo || gap === null || gap === undefined) return;
    spells.push({ gap, jobs: Math.max(1, history.workStartLoads?.[i] ?? 1) });
  });
  if (spells.length < Math.max(1, keepWarmAfterStarts)) return plain;

  const boot = rule.bootSeconds;
  const meanGap = spells.reduce((sum, s) => sum + s.gap, 0) / spells.length;
  const target = waitTargetOf(rule);
  const cold = coldStartSeconds(rule, checkIntervalSeconds);
  const facts = `work starts after ${formatSeconds(Math.round(meanGap))} idle on average, boot ${formatSeconds(boot)}, target ${formatSeconds(target)}`;
  // The idle timeout is a short keep-warm: when no recent gap was short enough for it to catch
  // the next work before a boot would have, it only bills idle time.
  const atOnce = spells.length >= 2 && spells.every((s) => s.gap > idleSeconds + boot);
  const noHold: KeepWarmVerdict = atOnce ? { ...plain, idleWait: 0 } : plain;
  const zeroNote = atOnce ? `; scaling to zero once idle: no recent gap was under ${formatSeconds(Math.round(idleSeconds + boot))}` : "";

  if (meanGap <= idleSeconds + boot) {
    const hold = Math.max(idleSeconds, Math.min(keepWarmSeconds, Math.ceil(2 * meanGap)));
    return { idleWait: hold, keepWarm: true, note: `keeping 1 warm: ${facts}; cheaper than scaling to zero and booting again` };
  }
  if (cold <= target) {
    return { ...noHold, note: `not keeping a dyno warm: ${facts}; a cold start (boot + check ${formatSeconds(cold)}) is within the target${zeroNote}` };
  }
  // The shortest hold that leaves at most 5 % of the jobs to a cold start.
  const byGap = [...spells].sort((a, b) => a.gap - b.gap);
  const allJobs = byGap.reduce((sum, s) => sum + s.jobs, 0);
  let coldJobs = allJobs;
  let hold = 0;
  for (const spell of byGap) {
    if (coldJobs <= TAIL_SHARE * allJobs) break;
    hold = spell.gap;
    coldJobs -= spell.jobs;
  }
  hold = Math.ceil(hold + checkIntervalSeconds);
  if (hold > keepWarmSeconds) {
    return { ...noHold, note: `not keeping a dyno warm: ${facts}; sparing 95 % of jobs a cold start would take ${formatSeconds(hold)} warm, longer than the ${formatSeconds(keepWarmSeconds)} keep-warm${zeroNote}` };
  }
  const billed = (gap: number, wait: number): number => Math.min(gap, wait) + (gap > wait ? boot : 0);
  const extraDynoSeconds = byGap.reduce((sum, s) => sum + billed(s.gap, hold) - billed(s.gap, idleSeconds), 0);
  const savedWait = byGap.reduce((sum, s) => sum + (s.gap > idleSeconds && s.gap <= hold ? s.jobs * cold : 0), 0);
  const size = rule.dynoSize ?? DEFAULT_DYNO_SIZE;
  if (extraDynoSeconds * dollarsPerDynoSecond(rule) > savedWait * WAIT_SECOND_DOLLARS) {
    return {
      ...noHold,
      note: `not keeping a dyno warm: ${facts}; ${formatSeconds(Math.round(extraDynoSeconds))} more of a ${size} dyno an hour would cost more than the ${formatSeconds(Math.round(savedWait))} of waiting it saves${zeroNote}`,
    };
  }
  return {
    idleWait: Math.max(idleSeconds, hold),
    keepWarm: true,
    note: `keeping 1 warm: ${facts}; ${formatSeconds(hold)} warm spares 95 % of jobs a ${formatSeconds(cold)} cold start`,
  };
}
