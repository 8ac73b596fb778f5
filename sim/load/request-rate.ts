import type { Rng } from "@/bench/policy/rng";

/** Requests a second at `tSeconds` from the start of a run. */
export type RateFunction = (tSeconds: number) => number;

export interface SpikeSpec {
  /** Seconds from the start when the spike begins. */
  atSeconds: number;
  durationSeconds: number;
  /** The day's rate at that time is multiplied by this during the spike. */
  multiplier: number;
}

export interface DayShapeSpec {
  /** Requests a second at the quietest hour. */
  nightRps: number;
  /** Requests a second at the busiest hour (before any spike). */
  peakRps: number;
  /** Hour of the day (0-24) of the peak; the trough is twelve hours away. Default 15. */
  peakHour?: number;
  spike?: SpikeSpec | null;
}

const secondsPerDay = 86_400;

/**
 * A day-shaped request rate: a cosine from `nightRps` at the trough to `peakRps` twelve hours
 * later, with an optional spike that multiplies the rate for a while (a flash crowd: a sudden
 * step, not a ramp, because that is what hurts an autoscaler). t = 0 is midnight.
 */
export function dayShapedRate(spec: DayShapeSpec): RateFunction {
  if (!(spec.nightRps >= 0) || !(spec.peakRps >= spec.nightRps)) throw new Error("need 0 <= nightRps <= peakRps");
  const peakHour = spec.peakHour ?? 15;
  const spike = spec.spike ?? null;
  return (tSeconds) => {
    const phase = (2 * Math.PI * (tSeconds - peakHour * 3600)) / secondsPerDay;
    const rate = spec.nightRps + (spec.peakRps - spec.nightRps) * (0.5 + 0.5 * Math.cos(phase));
    const inSpike = spike !== null && tSeconds >= spike.atSeconds && tSeconds < spike.atSeconds + spike.durationSeconds;
    return inSpike ? rate * spike.multiplier : rate;
  };
}

/** The highest rate `spec` reaches (the thinning bound for `nextArrivalSeconds`). */
export function maxRateOf(spec: DayShapeSpec): number {
  return spec.peakRps * Math.max(1, spec.spike?.multiplier ?? 1);
}

/**
 * The next arrival after `tSeconds` of a Poisson process whose rate changes with time
 * (Lewis and Shedler's thinning: candidates at the bounding rate, each kept with probability
 * rate(t) / maxRps). Infinity when the rate is 0 until `untilSeconds`.
 */
export function nextArrivalSeconds(
  rate: RateFunction,
  maxRps: number,
  rng: Pick<Rng, "next" | "exponential">,
  tSeconds: number,
  untilSeconds: number,
): number {
  if (!(maxRps > 0)) return Number.POSITIVE_INFINITY;
  let t = tSeconds;
  for (;;) {
    t += rng.exponential(1 / maxRps);
    if (t >= untilSeconds) return Number.POSITIVE_INFINITY;
    if (rng.next() * maxRps < rate(t)) return t;
  }
}
