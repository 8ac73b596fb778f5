import { Rng } from "@/bench/policy/rng";
import type { DynoSize } from "@/bench/policy/trace";

/** One generated job, before it becomes a JSON line. */
interface Job {
  t: number;
  queue: string;
  duration: number;
}

/** A generated trace: its header fields and jobs. */
export interface Workload {
  name: string;
  description: string;
  size: DynoSize;
  concurrency: number;
  bootSeconds: number;
  horizonSeconds: number;
  jobs: Job[];
}

const minute = 60;
const hour = 3600;
const day = 86_400;
const month = 30 * day;

/** t = 0 is Monday 00:00 UTC (the header says which Monday); day 0 is a Monday. */
export function weekdayOf(t: number): number {
  return Math.floor(t / day) % 7; // 0 = Monday ... 6 = Sunday
}

export function hourOf(t: number): number {
  return (t % day) / hour;
}

/** Poisson arrivals of a rate that changes with time (thinning against a peak rate). */
export function arrivals(rng: Rng, from: number, to: number, peakPerSecond: number, rate: (t: number) => number): number[] {
  const times: number[] = [];
  let t = from;
  for (;;) {
    t += rng.exponential(1 / peakPerSecond);
    if (t >= to) return times;
    if (rng.next() * peakPerSecond < rate(t)) times.push(t);
  }
}

/**
 * Commit analysis: each push fans out into a burst of jobs (one per changed package), pushes
 * follow the working day, and Monday mornings bring a peak whose start, length and height
 * differ every week (one Monday has none at all: a holiday).
 */
function commitAnalysis(rng: Rng): Workload {
  const mondayPeaks = [0, 1, 2, 3, 4].map((week) => ({
    start: week * 7 * day + rng.uniform(8, 10.5) * hour,
    length: rng.uniform(60, 150) * minute,
    factor: week === 2 ? 1 : rng.uniform(3, 8),
  }));
  const pushRate = (t: number): number => {
    const weekday = weekdayOf(t);
    const h = hourOf(t);
    let perHour = weekday >= 5 ? 2 : h >= 7 && h < 19 ? 18 : 1.5;
    for (const peak of mondayPeaks) {
      if (t >= peak.start && t < peak.start + peak.length) perHour *= peak.factor;
    }
    return perHour / hour;
  };
  const jobs: Job[] = [];
  for (const push of arrivals(rng, 0, month, (18 * 8) / hour, pushRate)) {
    const monorepo = rng.next() < 0.03;
    const count = monorepo ? rng.int(60, 200) : 1 + rng.poisson(5);
    let t = push;
    for (let i = 0; i < count; i++) {
      t += rng.uniform(0, monorepo ? 0.5 : 2);
      jobs.push({ t, queue: "analysis", duration: rng.logNormal(15, 0.8) });
    }
  }
  return {
    name: "commit-analysis",
    description: "pushes fan out into bursts of 5–60 s jobs over the working day; Monday-morning peaks of irregular start, length and height",
    size: "standard-2x",
    concurrency: 5,
    bootSeconds: 30,
    horizonSeconds: month,
    jobs,
  };
}

/**
 * Heavy reports: a few multi-minute, many-GB jobs a day on Performance-L dynos (one at a time),
 * a Monday 06:00 batch of scheduled reports, and a month-end rush.
 */
function heavyReports(rng: Rng): Workload {
  const jobs: Job[] = [];
  const duration = (): number => Math.min(rng.logNormal(6 * minute, 0.6), 40 * minute);
  const daily = (t: number): number => {
    const h = hourOf(t);
    return weekdayOf(t) < 5 && h >= 6 && h < 20 ? 6 / (14 * hour) : 0.5 / (10 * hour);
  };
  for (const t of arrivals(rng, 0, month, 6 / (14 * hour), daily)) jobs.push({ t, queue: "reports", duration: duration() });
  for (let week = 0; week < 5; week++) {
    const start = week * 7 * day + 6 * hour;
    const count = rng.int(6, 12);
    for (let i = 0; i < count; i++) jobs.push({ t: start + rng.uniform(0, 120), queue: "reports", duration: duration() });
  }
  for (const d of [28, 29]) {
    for (let i = 0; i < 20; i++) jobs.push({ t: d * day + rng.uniform(0, 10 * minute), queue: "reports", duration: duration() });
  }
  return {
    name: "heavy-reports",
    description: "a few 2–20 min report jobs a day on performance-l (one job per dyno), a Monday 06:00 batch, a month-end rush",
    size: "performance-l",
    concurrency: 1,
    bootSeconds: 60,
    horizonSeconds: month,
    jobs,
  };
}

/** A steady diurnal load: Poisson arrivals whose rate follows the sun, quieter at weekends. */
function diurnal(rng: Rng): Workload {
  const rate = (t: number): number => {
    const h = hourOf(t);
    const shape = 0.55 + 0.45 * Math.cos(((h - 14) / 24) * 2 * Math.PI);
    const weekend = weekdayOf(t) >= 5 ? 0.6 : 1;
    return 0.05 * shape * shape * weekend;
  };
  const jobs = arrivals(rng, 0, month, 0.05, rate).map((t) => ({ t, queue: "default", duration: rng.logNormal(60, 0.5) }));
  return {
    name: "diurnal",
    description: "steady Poisson load following the day (peak 14:00 UTC, weekends 60 %), jobs of about a minute, 2 per dyno",
    size: "standard-1x",
    concurrency: 2,
    bootSeconds: 30,
    horizonSeconds: month,
    jobs,
  };
}

/** Flash crowds: a steady trickle, and twice a day at random ten times the rate for five minutes. */
function flashCrowds(rng: Rng): Workload {
  const crowds: number[] = [];
  for (let d = 0; d < 30; d++) for (let i = 0; i < 2; i++) crowds.push(d * day + rng.uniform(0, day - 5 * minute));
  crowds.sort((a, b) => a - b);
  const base = 0.02;
  const rate = (t: number): number => (crowds.some((c) => t >= c && t < c + 5 * minute) ? 10 * base : base);
  const jobs = arrivals(rng, 0, month, 10 * base, rate).map((t) => ({ t, queue: "default", duration: rng.logNormal(50, 0.4) }));
  return {
    name: "flash-crowds",
    description: "a trickle of ~1 job a minute (about 50 s each) with 10× flash crowds for 5 minutes, twice a day at random",
    size: "standard-1x",
    concurrency: 5,
    bootSeconds: 30,
    horizonSeconds: month,
    jobs,
  };
}

/** Long jobs: 10–30 minute jobs through the working day plus two batches a day. */
function longJobs(rng: Rng): Workload {
  const rate = (t: number): number => {
    const h = hourOf(t);
    return weekdayOf(t) < 5 && h >= 8 && h < 18 ? 5 / hour : 0.3 / hour;
  };
  const duration = (): number => rng.uniform(10 * minute, 30 * minute);
  const jobs: Job[] = arrivals(rng, 0, month, 5 / hour, rate).map((t) => ({ t, queue: "exports", duration: duration() }));
  for (let d = 0; d < 30; d++) {
    for (const at of [rng.uniform(9, 12), rng.uniform(13, 17)]) {
      const start = d * day + at * hour;
      const count = rng.int(4, 12);
      for (let i = 0; i < count; i++) jobs.push({ t: start + rng.uniform(0, 30), queue: "exports", duration: duration() });
    }
  }
  return {
    name: "long-jobs",
    description: "10–30 min export jobs (one per dyno) through the working day plus two batches of 4–12 a day: a kill costs a whole rerun",
    size: "standard-2x",
    concurrency: 1,
    bootSeconds: 30,
    horizonSeconds: month,
    jobs,
  };
}

/** An empty week: a handful of jobs, so idle time and waking from zero decide everything. */
function emptyWeek(rng: Rng): Workload {
  const jobs: Job[] = [];
  for (let i = 0; i < 9; i++) jobs.push({ t: rng.uniform(0, 7 * day), queue: "default", duration: rng.uniform(5, 60) });
  const pair = rng.uniform(day, 6 * day);
  jobs.push({ t: pair, queue: "default", duration: 20 }, { t: pair + 40, queue: "default", duration: 35 });
  return {
    name: "empty-week",
    description: "one week with eleven jobs of 5–60 s: scale to zero and waking on the first job",
    size: "standard-1x",
    concurrency: 5,
    bootSeconds: 30,
    horizonSeconds: 7 * day,
    jobs,
  };
}

/** The seed the shipped traces were generated from; a test holds the files to it. */
export const defaultTraceSeed = 20240304;

export const workloadNames = ["commit-analysis", "heavy-reports", "diurnal", "flash-crowds", "long-jobs", "empty-week"] as const;

const builders = [commitAnalysis, heavyReports, diurnal, flashCrowds, longJobs, emptyWeek];

/** Every shipped workload, each from its own stream of the seed so they do not shift each other. */
export function buildWorkloads(seed: number): Workload[] {
  const root = new Rng(seed);
  return builders.map((build, i) => build(root.fork(i)));
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** The trace file's text: header line, then jobs sorted by t, rounded to 0.1 s. */
export function toJsonLines(workload: Workload): string {
  const header = {
    name: workload.name,
    dyno: { size: workload.size, concurrency: workload.concurrency, boot_seconds: workload.bootSeconds },
    horizon_seconds: workload.horizonSeconds,
    start: "2024-03-04T00:00:00Z",
    description: workload.description,
  };
  const jobs = workload.jobs
    .map((job) => ({ t: round1(job.t), queue: job.queue, duration: Math.max(0.1, round1(job.duration)) }))
    .sort((a, b) => a.t - b.t);
  const lines = [JSON.stringify(header), ...jobs.map((job) => JSON.stringify(job))];
  return `${lines.join("\n")}\n`;
}
