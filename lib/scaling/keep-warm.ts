import { DEFAULT_DYNO_SIZE, dynoDollars } from "@/lib/billing/dyno-prices";
import { formatSeconds, plural } from "@/lib/scaling/reason";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { ProcessHistory } from "@/lib/scaling/types";
import { dollarsPerDynoSecond, waitTargetOf } from "@/lib/scaling/wait-target";

/**
 * What one second of a job's wait is worth when keep-warm weighs it against dyno time: one
 * second of Heroku's default dyno (Standard-1X). On a Standard-1X dyno a second kept warm is
 * worth a second of wait saved; on a Performance-M dyno (ten times the price) it takes ten.
 */
export const WAIT_SECOND_DOLLARS = dynoDollars(DEFAULT_DYNO_SIZE, 1);

/** Whether the last dyno stays warm through idle time, how long, and why, in words. */
export interface KeepWarmVerdict {
  /** Idle seconds before the last dyno may go: the idle timeout, or longer to keep it warm. */
  idleWait: number;
  keepWarm: boolean;
  /** The reason's phrase; null when keep-warm does not come into it (not enough starts). */
  note: string | null;
}

/**
 * Keep-warm, weighed rather than timed. When work stops, the last dyno can go to zero after
 * the idle timeout, or stay warm for the next work. Going to zero and booting again is billed
 * too (the idle timeout, then the boot), and the next jobs wait a cold start: the boot plus up
 * to a check. Keeping the dyno warm through an idle gap of g seconds costs g. So, over the
 * last hour's idle gaps before work started (at least `keepWarmAfterStarts` of them):
 *
 * - a warm dyno that costs no more than zero-and-boot (g ≤ idle timeout + boot) is kept: it
 *   is cheaper and nobody waits;
 * - otherwise it costs the difference, and is kept only when a cold start would break the
 *   wait target (boot + check > target) and the difference is worth no more than the wait it
 *   saves (the jobs a start brings × the cold start, each second at `WAIT_SECOND_DOLLARS`);
 * - never longer than `keepWarmSeconds`: a gap longer than that would see the dyno stopped
 *   just before the work came, paid for and still cold.
 */
export function keepWarmVerdict(rule: ProcessRule, history: ProcessHistory, checkIntervalSeconds: number, now: Date): KeepWarmVerdict {
  const { idleSeconds, keepWarmAfterStarts, keepWarmSeconds } = rule.scaleToZero;
  const plain: KeepWarmVerdict = { idleWait: idleSeconds, keepWarm: false, note: null };
  if (keepWarmAfterStarts === 0 || keepWarmSeconds <= idleSeconds) return plain;
  const hourAgo = now.getTime() - 3600 * 1000;
  const gaps: number[] = [];
  let jobs = 0;
  (history.workStarts ?? []).forEach((start, i) => {
    const gap = history.workStartIdleSeconds?.[i];
    if (start.getTime() < hourAgo || gap === null || gap === undefined) return;
    gaps.push(gap);
    jobs += Math.max(1, history.workStartLoads?.[i] ?? 1);
  });
  if (gaps.length < Math.max(1, keepWarmAfterStarts)) return plain;

  const gap = gaps.reduce((sum, g) => sum + g, 0) / gaps.length;
  const jobsPerStart = jobs / gaps.length;
  const target = waitTargetOf(rule);
  const cold = rule.bootSeconds + checkIntervalSeconds;
  const facts = `work starts after ${formatSeconds(Math.round(gap))} idle on average, boot ${formatSeconds(rule.bootSeconds)}, target ${formatSeconds(target)}`;
  const hold = Math.max(idleSeconds, Math.min(keepWarmSeconds, Math.ceil(2 * gap)));
  // The idle timeout is a short keep-warm: when no recent gap was short enough for it to catch
  // the next work before a boot would have, it only bills idle time.
  const atOnce = gaps.length >= 2 && Math.min(...gaps) > idleSeconds + rule.bootSeconds;
  const cold0: KeepWarmVerdict = atOnce ? { ...plain, idleWait: 0 } : plain;
  const zeroNote = atOnce ? `; scaling to zero once idle: no recent gap was under ${formatSeconds(Math.round(idleSeconds + rule.bootSeconds))}` : "";
  if (gap > keepWarmSeconds) {
    return { ...cold0, note: `not keeping a dyno warm: ${facts}; longer than the ${formatSeconds(keepWarmSeconds)} keep-warm${zeroNote}` };
  }
  const extraDynoSeconds = gap - idleSeconds - rule.bootSeconds;
  if (extraDynoSeconds <= 0) {
    return { idleWait: hold, keepWarm: true, note: `keeping 1 warm: ${facts}; cheaper than scaling to zero and booting again` };
  }
  if (cold <= target) {
    return { ...cold0, note: `not keeping a dyno warm: ${facts}; a cold start (boot + check ${formatSeconds(cold)}) is within the target${zeroNote}` };
  }
  const savedWait = jobsPerStart * cold;
  const size = rule.dynoSize ?? DEFAULT_DYNO_SIZE;
  if (extraDynoSeconds * dollarsPerDynoSecond(rule) > savedWait * WAIT_SECOND_DOLLARS) {
    return {
      ...cold0,
      note: `not keeping a dyno warm: ${facts}; ${formatSeconds(Math.round(extraDynoSeconds))} more of a ${size} dyno would cost more than the ${formatSeconds(Math.round(savedWait))} of waiting it saves (${plural(Math.round(jobsPerStart), "job")} a start)${zeroNote}`,
    };
  }
  return { idleWait: hold, keepWarm: true, note: `keeping 1 warm: ${facts}; a cold start would keep ${plural(Math.round(jobsPerStart), "job")} waiting ${formatSeconds(cold)}` };
}
