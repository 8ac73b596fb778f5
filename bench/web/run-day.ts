import { Rng } from "@/bench/policy/rng";
import { dayShapedRate, maxRateOf, type DayShapeSpec } from "@/sim/load/request-rate";
import { serviceTimeSampler } from "@/sim/router/service-time";
import { WebModel } from "@/sim/router/web-model";

/** One simulated day of web traffic: the load, the app and the platform. */
export interface WebScenario {
  day: DayShapeSpec;
  durationSeconds: number;
  serviceMeanMs: number;
  serviceP95Ms: number;
  /** Requests one dyno serves at once (e.g. Puma: workers × threads). */
  concurrency: number;
  bootSeconds: number;
  dynoSize: string;
  maxQuantity: number;
}

/** A request as the policies see it: when it reached a dyno, and where. */
export interface ServedRequest {
  dyno: string;
  queueMs: number;
  tSeconds: number;
}

/** A scaling policy: called every `everySeconds` of simulated time, answers a quantity or null (no change). */
export interface WebPolicy {
  name: string;
  initialQuantity: number;
  everySeconds: number;
  onServiceStart?(request: ServedRequest): void;
  onResponse?(request: ServedRequest & { responseMs: number }): void;
  decide(tSeconds: number, quantity: number): number | null;
}

/** A growable list of numbers that stays a typed array (a day holds millions of requests). */
export class Samples {
  private values = new Float64Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  /** Percentiles by nearest rank (fractions 0..1, by name), the mean and the count. */
  summary<K extends string>(fractions: Record<K, number>): Record<K | "mean" | "count", number> {
    const sorted = this.values.slice(0, this.length).sort();
    const at = (fraction: number) => (this.length === 0 ? 0 : (sorted[Math.min(this.length - 1, Math.max(0, Math.ceil(fraction * this.length) - 1))] ?? 0));
    let sum = 0;
    for (const value of sorted) sum += value;
    const named = Object.fromEntries(Object.entries<number>(fractions).map(([name, fraction]) => [name, at(fraction)]));
    return { ...(named as Record<K, number>), mean: this.length ? sum / this.length : 0, count: this.length };
  }
}

export const reportedPercentiles = { p50: 0.5, p95: 0.95, p99: 0.99 };

/** Times in ms: nearest-rank percentiles, the mean and how many. */
export type TimeSummary = Record<"p50" | "p95" | "p99" | "mean" | "count", number> & { max?: number };

function rounded<T extends Record<string, number>>(summary: T): T {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(summary)) out[key] = Math.round(value * 10) / 10;
  return out as T;
}

export interface DayResult {
  name: string;
  dynoHours: number;
  queueTimeMs: TimeSummary;
  responseTimeMs: TimeSummary;
  spike: { queueTimeMs: TimeSummary; responseTimeMs: TimeSummary; requests: number } | null;
  requests: number;
  rejected: number;
  scaleEvents: number;
  maxQuantity: number;
  /** Quantity at each decision, for charts: [t seconds, quantity]. */
  quantityTimeline: [number, number][];
}

/**
 * Runs one policy through a day: the discrete-event model serves the load, the policy looks
 * at what it would see (its own hooks) every `everySeconds` and sets the quantity. The same
 * seed gives every policy the same arrivals and service times (separate random streams).
 */
export function runDay(scenario: WebScenario, policy: WebPolicy, seed: number): DayResult {
  const root = new Rng(seed);
  const arrivals = root.fork(1);
  const service = root.fork(2);
  const routing = root.fork(3);
  const queueTimes = new Samples();
  const responseTimes = new Samples();
  const spikeQueue = new Samples();
  const spikeResponse = new Samples();
  const spike = scenario.day.spike ?? null;
  const inSpike = (arrivalSeconds: number) => spike !== null && arrivalSeconds >= spike.atSeconds && arrivalSeconds < spike.atSeconds + spike.durationSeconds;
  const model = new WebModel({
    arrivalRng: arrivals,
    routingRandom: () => routing.next(),
    rate: dayShapedRate(scenario.day),
    maxRps: maxRateOf(scenario.day),
    serviceMs: serviceTimeSampler(service, scenario.serviceMeanMs, scenario.serviceP95Ms),
    concurrency: scenario.concurrency,
    bootSeconds: scenario.bootSeconds,
    initialDynos: policy.initialQuantity,
    arrivalsUntilSeconds: scenario.durationSeconds,
    onServiceStart: (dyno, queueMs, tSeconds) => {
      queueTimes.push(queueMs);
      if (inSpike(tSeconds - queueMs / 1000)) spikeQueue.push(queueMs);
      policy.onServiceStart?.({ dyno, queueMs, tSeconds });
    },
    onResponse: (dyno, queueMs, responseMs, tSeconds) => {
      responseTimes.push(responseMs);
      if (inSpike(tSeconds - responseMs / 1000)) spikeResponse.push(responseMs);
      policy.onResponse?.({ dyno, queueMs, responseMs, tSeconds });
    },
  });
  let scaleEvents = 0;
  let maxQuantity = model.quantity();
  const timeline: [number, number][] = [[0, model.quantity()]];
  for (let t = policy.everySeconds; t <= scenario.durationSeconds; t += policy.everySeconds) {
    model.runUntil(t);
    const wanted = policy.decide(t, model.quantity());
    if (wanted !== null && wanted !== model.quantity()) {
      model.scale(wanted);
      scaleEvents += 1;
      maxQuantity = Math.max(maxQuantity, wanted);
      timeline.push([t, wanted]);
    }
  }
  // Let the requests still in the system finish; dynos are billed until the day ends.
  const endSeconds = scenario.durationSeconds;
  const dynoHours = model.dynoSeconds() / 3600;
  model.runUntil(endSeconds + 3600);
  return {
    name: policy.name,
    dynoHours: Math.round(dynoHours * 100) / 100,
    queueTimeMs: rounded(queueTimes.summary({ ...reportedPercentiles, max: 1 })),
    responseTimeMs: rounded(responseTimes.summary({ ...reportedPercentiles, max: 1 })),
    spike: spike ? { queueTimeMs: rounded(spikeQueue.summary(reportedPercentiles)), responseTimeMs: rounded(spikeResponse.summary(reportedPercentiles)), requests: spikeQueue.length } : null,
    requests: model.arrived,
    rejected: model.rejected,
    scaleEvents,
    maxQuantity,
    quantityTimeline: timeline,
  };
}
