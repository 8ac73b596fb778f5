import { describe, expect, it } from "vitest";
import { Samples } from "@/bench/web/run-day";
import { Rng } from "@/bench/policy/rng";
import { dayShapedRate, maxRateOf } from "@/sim/load/request-rate";
import { logNormalFromMeanAndP95, serviceTimeSampler } from "@/sim/router/service-time";
import { WebModel, type WebModelOptions } from "@/sim/router/web-model";

function model(overrides: Partial<WebModelOptions> & { seed?: number } = {}) {
  const rng = new Rng(overrides.seed ?? 11);
  const serviceRng = rng.fork(2);
  const routing = rng.fork(3);
  return new WebModel({
    arrivalRng: rng.fork(1),
    routingRandom: () => routing.next(),
    rate: () => 30,
    maxRps: 30,
    serviceMs: serviceTimeSampler(serviceRng, 100, 300),
    concurrency: 1,
    bootSeconds: 30,
    initialDynos: 4,
    arrivalsUntilSeconds: 3600,
    ...overrides,
  });
}

describe("the discrete-event web model", () => {
  it("obeys Little's law: mean requests waiting = arrival rate × mean wait", () => {
    const waits = new Samples();
    const web = model({ onServiceStart: (_dyno, queueMs) => waits.push(queueMs) });
    web.runUntil(3600);
    const meanWaitSeconds = waits.summary({}).mean / 1000;
    const arrivalRate = web.arrived / 3600;
    const meanWaiting = web.waitingRequestSeconds() / 3600;
    // 30 requests/s on four dynos of one slot each at 0.1 s: 75 % busy, a real queue.
    expect(meanWaitSeconds).toBeGreaterThan(0.05);
    expect(meanWaiting).toBeCloseTo(arrivalRate * meanWaitSeconds, 1);
    expect(Math.abs(meanWaiting - arrivalRate * meanWaitSeconds) / meanWaiting).toBeLessThan(0.02);
    expect(arrivalRate).toBeGreaterThan(29);
    expect(arrivalRate).toBeLessThan(31);
  });

  it("routes nothing to a new dyno before it has booted, and nothing to a stopping one", () => {
    const served: { dyno: string; t: number }[] = [];
    const web = model({ initialDynos: 2, rate: () => 5, maxRps: 5, onServiceStart: (dyno, _q, t) => served.push({ dyno, t }) });
    web.runUntil(60);
    web.scale(3);
    expect(web.counts()).toEqual({ starting: 1, up: 2, stopping: 0 });
    web.runUntil(200);
    const firstOnThird = served.find((request) => request.dyno === "web.3");
    expect(firstOnThird?.t).toBeGreaterThanOrEqual(90);
    web.scale(1);
    const stoppedAt = web.nowSeconds;
    web.runUntil(400);
    expect(served.filter((request) => request.dyno !== "web.1" && request.t > stoppedAt + 5)).toEqual([]);
    expect(web.counts()).toEqual({ starting: 0, up: 1, stopping: 0 });
  });

  it("bills each dyno from its start until it exits", () => {
    const web = model({ initialDynos: 1, rate: () => 0.0001, maxRps: 0.0001 });
    web.runUntil(100);
    web.scale(3);
    web.runUntil(400);
    web.scale(1);
    web.runUntil(1000);
    // One dyno 1000 s, two more from 100 s to 400 s.
    expect(web.dynoSeconds()).toBeCloseTo(1000 + 2 * 300, 0);
  });
});

describe("the load's shape and the service times", () => {
  it("draws log-normal service times with the asked mean and p95", () => {
    const { sigma } = logNormalFromMeanAndP95(250, 800);
    expect(sigma).toBeGreaterThan(0);
    const draw = serviceTimeSampler(new Rng(5), 250, 800);
    const samples = new Samples();
    for (let i = 0; i < 200_000; i += 1) samples.push(draw());
    const summary = samples.summary({ p95: 0.95 });
    expect(summary.mean).toBeGreaterThan(245);
    expect(summary.mean).toBeLessThan(255);
    expect(summary.p95).toBeGreaterThan(780);
    expect(summary.p95).toBeLessThan(820);
    expect(() => logNormalFromMeanAndP95(100, 500)).toThrow(/at most/);
  });

  it("follows the day from trough to peak, and multiplies it during the spike", () => {
    const spec = { nightRps: 10, peakRps: 100, peakHour: 15, spike: { atSeconds: 11 * 3600, durationSeconds: 1800, multiplier: 2 } };
    const rate = dayShapedRate(spec);
    expect(rate(15 * 3600)).toBeCloseTo(100, 6);
    expect(rate(3 * 3600)).toBeCloseTo(10, 6);
    expect(rate(11 * 3600 + 60)).toBeCloseTo(2 * dayShapedRate({ ...spec, spike: null })(11 * 3600 + 60), 6);
    expect(maxRateOf(spec)).toBe(200);
  });
});
