import type { DynoSize } from "@/bench/policy/trace";

/**
 * Heroku list prices per dyno per month, billed per second over a 720-hour month. Eco is a
 * shared pool of hours ($5 for 1 000 hours across all eco dynos), not per dyno; it is billed
 * here as if its $5 bought 720 hours, which flatters it, and it can run one dyno per type.
 */
export const monthlyDollars: Readonly<Record<DynoSize, number>> = {
  eco: 5,
  basic: 7,
  "standard-1x": 25,
  "standard-2x": 50,
  "performance-m": 250,
  "performance-l": 500,
};

export const secondsPerBillingMonth = 720 * 3600;

export function dollarsPerSecond(size: DynoSize): number {
  return monthlyDollars[size] / secondsPerBillingMonth;
}

/** Heroku's per-process-type ceiling for the size (eco and basic run one; performance ten). */
export function maxDynosFor(size: DynoSize): number {
  if (size === "eco" || size === "basic") return 1;
  if (size === "performance-m" || size === "performance-l") return 10;
  return 100;
}
