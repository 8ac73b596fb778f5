import { maxDynosFor } from "@/bench/policy/prices";
import { Rng } from "@/bench/policy/rng";
import type { DynoSize, Trace } from "@/bench/policy/trace";
import { arrivals, hourOf, weekdayOf } from "@/bench/policy/workloads";

/**
 * Generated workload families: traces nobody tuned anything for. Each seed gives every family
 * `drawsPerFamily` draws of dyno size, boot time, concurrency and intensity, and each draw its
 * own jobs. Traces live in memory only; the same seed gives the same traces on any machine.
 */

export const familyNames = [
  "bursty-ci",
  "nightly-batch",
  "mixed-long-short",
  "sawtooth",
  "sparse-then-storm",
  "diurnal",
  "flash-crowds",
  "long-jobs",
  "heavy-tailed",
  "priority-queues",
  "hourly-cron",
  "weekly-office",
] as const;
export type FamilyName = (typeof familyNames)[number];

export const familySizes: readonly DynoSize[] = ["eco", "basic", "standard-1x", "standard-2x", "performance-m", "performance-l"];

export const drawsPerFamily = 4;
export const bootRangeSeconds = { min: 10, max: 90 } as const;
/** Jobs a trace holds at most: rates are scaled down to fit, so a run stays within minutes. */
export const jobBudget = 15_000;

/** Worker threads per dyno a draw picks from, by size (small dynos run fewer). */
const concurrencyChoices: Readonly<Record<DynoSize, readonly number[]>> = {
  eco: [1, 2, 5, 10],
  basic: [1, 2, 5, 10],
  "standard-1x": [1, 2, 3, 5, 10],
  "standard-2x": [1, 2, 5, 10, 25],
  "performance-m": [1, 4, 10, 25],
  "performance-l": [1, 5, 10, 25, 50],
};

/** One generated trace's recipe: everything needed to build it again, in any process. */
export interface FamilySpec {
  seed: number;
  /** Position in the seed's list. */
  index: number;
  family: FamilyName;
  draw: number;
  name: string;
  size: DynoSize;
  bootSeconds: number;
  concurrency: number;
  /** Dynos the load is drawn to need at its peak, before Heroku's cap (below 1: a part of one dyno). */
  intensity: number;
  /** The job draws' own stream. */
  streamSeed: number;
}

const minute = 60;
const hour = 3600;
const day = 86_400;
const start = Date.parse("2024-03-04T00:00:00Z"); // a Monday

/** The day's shape, 0.01 at 02:00 to 1 at 14:00 (UTC), squared cosine as in the diurnal trace. */
function dayShape(t: number): number {
  const s = 0.55 + 0.45 * Math.cos(((hourOf(t) - 14) / 24) * 2 * Math.PI);
  return s * s;
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The seed's traces as recipes: families × draws. Sizes go round the six in turn from a
 * seeded offset (so each family gets four different sizes and each seed every size); boot
 * times are stratified over 10–90 s (one per stratum, strata shuffled), so every seed spans
 * the range; concurrency and intensity are drawn for the size, within Heroku's cap.
 */
export function familySpecs(seed: number): FamilySpec[] {
  const rng = new Rng(seed);
  const count = familyNames.length * drawsPerFamily;
  const offset = rng.int(0, familySizes.length - 1);
  const strata = shuffled(rng, Array.from({ length: count }, (_, i) => i));
  const specs: FamilySpec[] = [];
  for (let f = 0; f < familyNames.length; f++) {
    for (let d = 0; d < drawsPerFamily; d++) {
      const index = f * drawsPerFamily + d;
      const size = familySizes[(index + offset) % familySizes.length] as DynoSize;
      const span = bootRangeSeconds.max - bootRangeSeconds.min;
      const bootSeconds = Math.round(bootRangeSeconds.min + (span * ((strata[index] as number) + rng.next())) / count);
      const choices = concurrencyChoices[size];
      const concurrency = choices[rng.int(0, choices.length - 1)] as number;
      const cap = maxDynosFor(size);
      // Eco and basic run one dyno: their load is drawn from well under to well over it.
      const intensity = cap === 1 ? Math.round(rng.uniform(0.5, 1.5) * 10) / 10 : rng.int(2, Math.min(cap, 12));
      const family = familyNames[f] as FamilyName;
      specs.push({
        seed,
        index,
        family,
        draw: d,
        name: `${family}-s${seed}-${d + 1}`,
        size,
        bootSeconds,
        concurrency,
        intensity,
        streamSeed: Math.floor(rng.next() * 2 ** 32),
      });
    }
  }
  return specs;
}

interface Job {
  t: number;
  queue: number;
  duration: number;
}

interface Built {
  horizonSeconds: number;
  description: string;
  jobs: Job[];
  queues?: string[];
  queuePriority?: number[];
}

/** What a family builder knows of its draw: job slots at the peak and the rest. */
interface Shape {
  /** Job slots the load is drawn to fill at its peak: intensity × concurrency. */
  slots: number;
  spec: FamilySpec;
}

/** Scales a rate down so that `expectedJobs` at that rate fits the job budget. */
function fit(rate: number, expectedJobs: number, budget = jobBudget): number {
  return expectedJobs > budget ? (rate * budget) / expectedJobs : rate;
}

const logNormalMean = (median: number, sigma: number): number => median * Math.exp((sigma * sigma) / 2);
const round = (n: number, digits = 0): string => n.toFixed(digits);

/** Pushes fan out into bursts through the working day, Monday to Wednesday. */
function burstyCi(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 3 * day;
  const median = rng.uniform(10, 90);
  const perHour = rng.uniform(4, 30);
  const pushRate = (t: number): number => (hourOf(t) >= 8 && hourOf(t) < 19 ? perHour : 0.5) / hour;
  const pushes = 3 * (11 * perHour + 13 * 0.5);
  const fanOut = Math.max(1, fit(slots * rng.uniform(0.5, 1.5), pushes * slots * 1.5));
  const jobs: Job[] = [];
  for (const push of arrivals(rng, 0, horizonSeconds, perHour / hour, pushRate)) {
    const count = 1 + rng.poisson(Math.max(0, fanOut - 1));
    let t = push;
    for (let i = 0; i < count; i++) {
      t += rng.uniform(0, 2);
      jobs.push({ t, queue: 0, duration: rng.logNormal(median, 0.8) });
    }
  }
  return {
    horizonSeconds,
    jobs,
    description: `${round(perHour)} pushes/h 08–19 UTC, each fanning out to ~${round(fanOut)} jobs of median ${round(median)} s; 3 days`,
  };
}

/** A big batch at about 02:00 every night, a trickle by day. */
function nightlyBatch(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 3 * day;
  const median = rng.uniform(20, 300);
  const batch = Math.max(1, Math.round(Math.min(slots * rng.uniform(3, 10), 4000)));
  const gapMinutes = rng.uniform(5, 30);
  const jobs: Job[] = [];
  for (let d = 0; d < 3; d++) {
    const at = d * day + 2 * hour + rng.uniform(0, 30 * minute);
    for (let i = 0; i < batch; i++) jobs.push({ t: at + rng.uniform(0, 60), queue: 0, duration: rng.logNormal(median, 0.5) });
  }
  for (const t of arrivals(rng, 0, horizonSeconds, 1 / (gapMinutes * minute), (u) => (hourOf(u) >= 7 ? 1 / (gapMinutes * minute) : 0))) {
    jobs.push({ t, queue: 0, duration: rng.logNormal(median, 0.5) });
  }
  return {
    horizonSeconds,
    jobs,
    description: `a batch of ${batch} jobs (median ${round(median)} s) at ~02:00 each night, one job per ~${round(gapMinutes)} min by day; 3 days`,
  };
}

/** Short jobs following the day, and long ones among them in the same queue. */
function mixedLongShort(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 2 * day;
  const shortMedian = rng.uniform(2, 20);
  const longMean = rng.uniform(10, 40) * minute;
  const shortPeak = fit((0.5 * slots) / logNormalMean(shortMedian, 0.6), 2 * day * ((0.5 * slots) / logNormalMean(shortMedian, 0.6)) * 0.4);
  const longRate = Math.max(0.5 / hour, (0.3 * slots) / longMean);
  const jobs: Job[] = [];
  for (const t of arrivals(rng, 0, horizonSeconds, shortPeak, (u) => shortPeak * dayShape(u))) {
    jobs.push({ t, queue: 0, duration: rng.logNormal(shortMedian, 0.6) });
  }
  for (const t of arrivals(rng, 0, horizonSeconds, longRate, (u) => longRate * Math.max(0.2, dayShape(u)))) {
    jobs.push({ t, queue: 0, duration: rng.uniform(0.5, 1.5) * longMean });
  }
  return {
    horizonSeconds,
    jobs,
    description: `jobs of median ${round(shortMedian)} s following the day, mixed with ${round((longRate * hour), 1)}/h jobs of ~${round(longMean / minute)} min; 2 days`,
  };
}

/** The rate ramps up over a period, stops dead, stays idle a while, and starts again. */
function sawtooth(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 2 * day;
  const median = rng.uniform(10, 120);
  const period = rng.uniform(30, 240) * minute;
  const gap = rng.uniform(0, 0.5) * period;
  const peak = fit((0.9 * slots) / logNormalMean(median, 0.4), ((2 * day * period) / (period + gap)) * ((0.45 * slots) / logNormalMean(median, 0.4)));
  const rate = (t: number): number => {
    const phase = t % (period + gap);
    return phase < period ? (peak * phase) / period : 0;
  };
  const jobs = arrivals(rng, 0, horizonSeconds, peak, rate).map((t) => ({ t, queue: 0, duration: rng.logNormal(median, 0.4) }));
  return {
    horizonSeconds,
    jobs,
    description: `ramps to ${round(peak * minute, 1)} jobs/min over ${round(period / minute)} min then drops to zero for ${round(gap / minute)} min; jobs of median ${round(median)} s; 2 days`,
  };
}

/** A job every ~20 minutes for days, then a storm, then the trickle again. */
function sparseThenStorm(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 4 * day;
  const gapMinutes = rng.uniform(15, 25);
  const stormAt = rng.uniform(2, 3.5) * day;
  const stormLength = rng.uniform(15, 60) * minute;
  const stormDuration = rng.uniform(10, 60);
  const stormRate = fit((slots * rng.uniform(1, 2)) / stormDuration, ((slots * 2) / stormDuration) * stormLength);
  const jobs: Job[] = [];
  for (const t of arrivals(rng, 0, horizonSeconds, 1 / (gapMinutes * minute), () => 1 / (gapMinutes * minute))) {
    jobs.push({ t, queue: 0, duration: rng.uniform(5, 60) });
  }
  for (const t of arrivals(rng, stormAt, stormAt + stormLength, stormRate, () => stormRate)) {
    jobs.push({ t, queue: 0, duration: rng.uniform(0.5, 1.5) * stormDuration });
  }
  return {
    horizonSeconds,
    jobs,
    description: `a 5–60 s job every ~${round(gapMinutes)} min for days, then a ${round(stormLength / minute)}-minute storm of ${round(stormRate * minute, 1)} jobs/min at day ${round(stormAt / day, 1)}; 4 days`,
  };
}

/** Steady Poisson load following the day. */
function diurnal(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 3 * day;
  const median = rng.uniform(5, 120);
  const peak = fit((0.7 * slots) / logNormalMean(median, 0.5), 3 * day * 0.36 * ((0.7 * slots) / logNormalMean(median, 0.5)));
  const jobs = arrivals(rng, 0, horizonSeconds, peak, (t) => peak * dayShape(t)).map((t) => ({ t, queue: 0, duration: rng.logNormal(median, 0.5) }));
  return {
    horizonSeconds,
    jobs,
    description: `Poisson load peaking at ${round(peak * minute, 1)} jobs/min at 14:00 UTC, jobs of median ${round(median)} s; 3 days`,
  };
}

/** A trickle, and a few times a day 10–30× the rate for a few minutes. */
function flashCrowds(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 2 * day;
  const median = rng.uniform(10, 90);
  const perDay = rng.int(2, 6);
  const length = rng.uniform(3, 10) * minute;
  const factor = rng.uniform(10, 30);
  const mean = logNormalMean(median, 0.4);
  const crowdRate = fit((0.9 * slots) / mean, 2 * ((0.9 * slots) / mean) * (perDay * length + day / factor));
  const base = crowdRate / factor;
  const crowds: number[] = [];
  for (let d = 0; d < 2; d++) for (let i = 0; i < perDay; i++) crowds.push(d * day + rng.uniform(0, day - length));
  const rate = (t: number): number => (crowds.some((c) => t >= c && t < c + length) ? crowdRate : base);
  const jobs = arrivals(rng, 0, horizonSeconds, crowdRate, rate).map((t) => ({ t, queue: 0, duration: rng.logNormal(median, 0.4) }));
  return {
    horizonSeconds,
    jobs,
    description: `${round(base * hour, 1)} jobs/h with ${perDay} flash crowds a day of ${round(factor)}× for ${round(length / minute)} min; jobs of median ${round(median)} s; 2 days`,
  };
}

/** Jobs of 10–60 minutes through the working day, plus two batches a day. */
function longJobs(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 3 * day;
  const mean = rng.uniform(10, 60) * minute;
  const rate = Math.max(1 / hour, (0.5 * slots) / mean);
  const jobs: Job[] = [];
  for (const t of arrivals(rng, 0, horizonSeconds, rate, (u) => (hourOf(u) >= 8 && hourOf(u) < 18 ? rate : 0.1 * rate))) {
    jobs.push({ t, queue: 0, duration: rng.uniform(0.5, 1.5) * mean });
  }
  const batchMax = Math.max(2, Math.round(slots));
  for (let d = 0; d < 3; d++) {
    for (const at of [rng.uniform(9, 12), rng.uniform(13, 17)]) {
      const count = rng.int(2, batchMax);
      for (let i = 0; i < count; i++) jobs.push({ t: d * day + at * hour + rng.uniform(0, 30), queue: 0, duration: rng.uniform(0.5, 1.5) * mean });
    }
  }
  return {
    horizonSeconds,
    jobs,
    description: `jobs of ~${round(mean / minute)} min at ${round(rate * hour, 1)}/h 08–18 UTC, plus two batches of 2–${batchMax} a day; 3 days`,
  };
}

/** Pareto-distributed durations: most jobs take seconds, a few take an hour or two. */
function heavyTailed(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 2 * day;
  const alpha = rng.uniform(1.2, 1.8);
  const scale = rng.uniform(2, 10);
  const mean = (scale * alpha) / (alpha - 1);
  const peak = fit((0.6 * slots) / mean, 2 * day * 0.4 * ((0.6 * slots) / mean));
  const duration = (): number => Math.min(2 * hour, scale / Math.pow(1 - rng.next(), 1 / alpha));
  const jobs = arrivals(rng, 0, horizonSeconds, peak, (t) => peak * Math.max(0.1, dayShape(t))).map((t) => ({ t, queue: 0, duration: duration() }));
  return {
    horizonSeconds,
    jobs,
    description: `Pareto durations (α ${round(alpha, 2)}, from ${round(scale)} s, capped at 2 h) at up to ${round(peak * minute, 1)} jobs/min following the day; 2 days`,
  };
}

/** Three queues fetched in strict priority: critical bursts, default by day, low in batches. */
function priorityQueues(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 2 * day;
  const critical = rng.uniform(1, 5);
  const normal = rng.uniform(10, 60);
  const low = rng.uniform(2, 10) * minute;
  const critRate = fit((0.2 * slots) / critical, 2 * day * 0.3 * ((0.2 * slots) / critical), jobBudget / 2);
  const normalRate = fit((0.4 * slots) / normal, 2 * day * 0.4 * ((0.4 * slots) / normal), jobBudget / 3);
  const jobs: Job[] = [];
  // Critical work comes in bursts of a few seconds: a user action fans out.
  for (const t of arrivals(rng, 0, horizonSeconds, critRate / 4, (u) => (critRate / 4) * Math.max(0.05, dayShape(u)))) {
    for (let i = 0; i < 4; i++) jobs.push({ t: t + rng.uniform(0, 3), queue: 0, duration: rng.logNormal(critical, 0.5) });
  }
  for (const t of arrivals(rng, 0, horizonSeconds, normalRate, (u) => normalRate * Math.max(0.05, dayShape(u)))) {
    jobs.push({ t, queue: 1, duration: rng.logNormal(normal, 0.6) });
  }
  const every = rng.uniform(4, 6) * hour;
  const batch = Math.max(1, Math.round(Math.min(slots * rng.uniform(1, 3), 1000)));
  for (let at = rng.uniform(0, every); at < horizonSeconds; at += every) {
    for (let i = 0; i < batch; i++) jobs.push({ t: at + rng.uniform(0, 60), queue: 2, duration: rng.uniform(0.5, 1.5) * low });
  }
  return {
    horizonSeconds,
    jobs,
    queues: ["critical", "default", "low"],
    queuePriority: [3, 2, 1],
    description: `strict priority: critical bursts (~${round(critical)} s jobs), default by day (~${round(normal)} s), low batches of ${batch} × ~${round(low / minute)} min every ${round(every / hour, 1)} h; 2 days`,
  };
}

/** A cron batch every 15, 30 or 60 minutes, nothing in between. */
function hourlyCron(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 2 * day;
  const everyMinutes = [15, 30, 60][rng.int(0, 2)] as number;
  const median = rng.uniform(5, 120);
  const runs = (horizonSeconds / minute / everyMinutes) | 0;
  const batch = Math.max(1, Math.round(fit(slots * rng.uniform(0.5, 3), runs * slots * 3)));
  const offset = rng.uniform(0, everyMinutes * minute);
  const jobs: Job[] = [];
  for (let at = offset; at < horizonSeconds; at += everyMinutes * minute) {
    for (let i = 0; i < batch; i++) jobs.push({ t: at + rng.uniform(0, 10), queue: 0, duration: rng.logNormal(median, 0.5) });
  }
  return {
    horizonSeconds,
    jobs,
    description: `a batch of ${batch} jobs (median ${round(median)} s) every ${everyMinutes} min, nothing between; 2 days`,
  };
}

/** Office hours Monday to Friday, a near-empty weekend: a week, where the week's shape matters. */
function weeklyOffice(rng: Rng, { slots }: Shape): Built {
  const horizonSeconds = 7 * day;
  const median = rng.uniform(10, 300);
  const shift = rng.uniform(-3, 3);
  const mean = logNormalMean(median, 0.6);
  const peak = fit((0.6 * slots) / mean, 5 * 8 * hour * ((0.6 * slots) / mean));
  const rate = (t: number): number => {
    const h = (((hourOf(t) - shift) % 24) + 24) % 24;
    return weekdayOf(t) < 5 && h >= 9 && h < 17 ? peak : 0.02 * peak;
  };
  const jobs = arrivals(rng, 0, horizonSeconds, peak, rate).map((t) => ({ t, queue: 0, duration: rng.logNormal(median, 0.6) }));
  return {
    horizonSeconds,
    jobs,
    description: `${round(peak * minute, 1)} jobs/min in office hours (09–17 at UTC${shift >= 0 ? "+" : ""}${round(shift, 1)}) Monday to Friday, 2 % of it otherwise; jobs of median ${round(median)} s; 7 days`,
  };
}

const builders: Readonly<Record<FamilyName, (rng: Rng, shape: Shape) => Built>> = {
  "bursty-ci": burstyCi,
  "nightly-batch": nightlyBatch,
  "mixed-long-short": mixedLongShort,
  sawtooth,
  "sparse-then-storm": sparseThenStorm,
  diurnal,
  "flash-crowds": flashCrowds,
  "long-jobs": longJobs,
  "heavy-tailed": heavyTailed,
  "priority-queues": priorityQueues,
  "hourly-cron": hourlyCron,
  "weekly-office": weeklyOffice,
};

/** Builds one recipe's trace: jobs sorted by arrival, every duration at least 0.1 s. */
export function buildFamilyTrace(spec: FamilySpec): Trace {
  const rng = new Rng(spec.streamSeed);
  const built = builders[spec.family](rng, { slots: Math.max(1, spec.intensity * spec.concurrency), spec });
  const jobs = built.jobs.filter((job) => job.t >= 0 && job.t < built.horizonSeconds).sort((a, b) => a.t - b.t);
  const trace: Trace = {
    name: spec.name,
    dynoSize: spec.size,
    concurrency: spec.concurrency,
    bootSeconds: spec.bootSeconds,
    horizonSeconds: built.horizonSeconds,
    startMs: start,
    description: built.description,
    queues: built.queues ?? ["default"],
    arrival: Float64Array.from(jobs, (job) => job.t),
    duration: Float64Array.from(jobs, (job) => Math.max(0.1, job.duration)),
    queueIndex: Uint16Array.from(jobs, (job) => job.queue),
  };
  if (built.queuePriority) trace.queuePriority = built.queuePriority;
  return trace;
}

/** Every trace of a seed, built here (the benchmark's workers build them from the recipes). */
export function familyTraces(seed: number): Trace[] {
  return familySpecs(seed).map(buildFamilyTrace);
}
