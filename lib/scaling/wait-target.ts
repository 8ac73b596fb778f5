import { DEFAULT_DYNO_SIZE, dynoDollars } from "@/lib/billing/dyno-prices";
import type { ProcessRule } from "@/lib/scaling/rules";

/**
 * What one second of a job's wait is worth when the engine weighs it against dyno time: one
 * second of Heroku's default dyno (Standard-1X). On a Standard-1X dyno a second kept warm is
 * worth a second of wait saved; on a Performance-M dyno (ten times the price) it takes ten.
 */
export const WAIT_SECOND_DOLLARS = dynoDollars(DEFAULT_DYNO_SIZE, 1);

/** The wait target when neither it nor the job duration is known: jobs of seconds. */
export const DEFAULT_WAIT_TARGET_SECONDS = 30;

/**
 * The wait target a process type's jobs tolerate at p95, in seconds. Set by the customer, or
 * derived from the typical job duration: 30 s for jobs under a minute, 60 s for jobs under ten
 * minutes, 120 s for longer ones (a two-minute wait is noise beside an hour's report).
 */
export function waitTargetOf(rule: Pick<ProcessRule, "waitTargetSeconds" | "jobSeconds">): number {
  if (rule.waitTargetSeconds !== null) return rule.waitTargetSeconds;
  return derivedWaitTarget(rule.jobSeconds);
}

/** The default wait target for a typical job duration (null: unknown). */
export function derivedWaitTarget(jobSeconds: number | null): number {
  if (jobSeconds === null) return DEFAULT_WAIT_TARGET_SECONDS;
  return jobSeconds < 60 ? 30 : jobSeconds < 600 ? 60 : 120;
}

/**
 * The downscale delay: the customer's, or the boot time plus one check. Holding a dyno the load
 * no longer needs costs its price a second; stopping it and needing it again costs a boot
 * (billed) and the wait for it. Holding as long as a boot and a check, and no longer, never
 * pays more than twice what the right choice in hindsight would have.
 */
export function downscaleDelayOf(rule: Pick<ProcessRule, "downscale" | "bootSeconds">, checkIntervalSeconds: number): number {
  return rule.downscale.delaySeconds ?? coldStartSeconds(rule, checkIntervalSeconds);
}

/**
 * The longest a job that arrives to no free dyno waits for one started on demand: up to a check
 * to be seen, then the boot.
 */
export function coldStartSeconds(rule: Pick<ProcessRule, "bootSeconds">, checkIntervalSeconds: number): number {
  return rule.bootSeconds + checkIntervalSeconds;
}

/** Dollars one dyno of the process type's size costs a second (Heroku bills to the second). */
export function dollarsPerDynoSecond(rule: Pick<ProcessRule, "dynoSize">): number {
  return dynoDollars(rule.dynoSize ?? DEFAULT_DYNO_SIZE, 1);
}
