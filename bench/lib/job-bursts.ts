import type { Sim } from "@/sim/start-sim";

/**
 * Work for the scaling tenants: now and then a burst of jobs lands on an app's queue (a
 * nightly import, a newsletter send), the engine scales the app up, its dynos work the burst
 * off, and a minute or so later the engine scales back to zero. Bursts arrive per app as a
 * Poisson process (mean gap `meanGapSeconds`), sized and timed from a seeded generator so
 * runs are comparable.
 */
export interface BurstOptions {
  sim: Sim;
  appNames: string[];
  meanGapSeconds: number;
  /** Jobs per burst, uniform in this range. */
  jobs: [number, number];
  /** Seconds one job runs, uniform in this range. */
  jobSeconds: [number, number];
  seed: number;
}

export interface BurstGenerator {
  /** Gives `fraction` of the apps a burst now, so the run does not start from silence. */
  kickOff(fraction: number): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  readonly bursts: number;
  readonly jobs: number;
}

/** mulberry32: a small seeded PRNG, good enough to pick bursts. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function startJobBursts(options: BurstOptions): BurstGenerator {
  const random = seededRandom(options.seed);
  const between = ([low, high]: [number, number]) => low + random() * (high - low);
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();
  const counts = { bursts: 0, jobs: 0 };

  const burst = async (app: string) => {
    const count = Math.round(between(options.jobs));
    counts.bursts += 1;
    counts.jobs += count;
    const jobs: Array<Promise<string>> = [];
    for (let i = 0; i < count; i += 1) jobs.push(options.sim.enqueue(app, { durationSeconds: Math.round(between(options.jobSeconds)) }));
    await Promise.all(jobs);
  };
  const tick = async () => {
    const chance = 1 / options.meanGapSeconds;
    await Promise.all(options.appNames.filter(() => random() < chance).map(burst));
  };

  return {
    kickOff: async (fraction) => {
      await Promise.all(options.appNames.filter(() => random() < fraction).map(burst));
    },
    start: () => {
      timer ??= setInterval(() => {
        inFlight = tick().catch((error: unknown) => console.error("job burst failed:", error));
      }, 1000);
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      timer = null;
      await inFlight;
    },
    get bursts() {
      return counts.bursts;
    },
    get jobs() {
      return counts.jobs;
    },
  };
}
