import { EventQueue, JobDeque } from "@/bench/policy/event-queue";
import type { Observation, SimActions, SimPolicy } from "@/bench/policy/policy";
import { dollarsPerSecond, maxDynosFor } from "@/bench/policy/prices";
import { Rng } from "@/bench/policy/rng";
import type { Trace } from "@/bench/policy/trace";
// Heroku's one-off limits per app: the simulator enforces the same table `planOneOff` reads.
import { oneOffLimitFor } from "@/lib/scaling/plan-one-off";

/** Heroku sends SIGTERM, then SIGKILL this many seconds later. */
export const shutdownGraceSeconds = 30;
/** Seconds from a formation update call to Heroku acting on it (booting, or SIGTERM). */
export const formationUpdateSeconds = 0.5;
/** Sidekiq's heartbeat: a quiet signal is taken within this many seconds of being pushed. */
export const heartbeatSeconds = 10;
/** Chart resolution: each series is cut into this many buckets (max within each). */
const chartBuckets = 1500;

export interface SimOptions {
  seed: number;
  /** Relative noise on probed depth (standard deviation), e.g. 0.03. */
  depthNoise: number;
  /** Absolute noise on probed latency in seconds (standard deviation). */
  latencyNoiseSeconds: number;
  /** Boot time varies uniformly within ± this fraction of the trace's boot seconds. */
  bootJitter: number;
}

export const defaultSimOptions: SimOptions = { seed: 1, depthNoise: 0.03, latencyNoiseSeconds: 0.3, bootJitter: 0.2 };

/** Queue depth and billed dynos over time, at chart resolution. */
export interface Series {
  bucketSeconds: number;
  depth: Float64Array;
  dynos: Float64Array;
}

export interface SimResult {
  policy: string;
  dynoSeconds: number;
  dollars: number;
  waitSeconds: { p50: number; p95: number; p99: number; max: number; mean: number };
  jobsKilled: number;
  formationUpdates: number;
  /** One-off dynos started, and the most running at once. */
  oneOffStarts: number;
  oneOffPeak: number;
  /** Quiet signals sent and dyno restarts. */
  quietSignals: number;
  /** Enqueue wakes sent (`wakeOnEnqueue`). */
  wakes: number;
  restarts: number;
  apiCalls: number;
  unfinishedJobs: number;
  series: Series;
}

type Event =
  | { kind: "job-end"; dyno: Dyno; job: number; attempt: number }
  | { kind: "boot"; dyno: Dyno }
  | { kind: "grace"; dyno: Dyno }
  | { kind: "check" }
  | { kind: "wake" }
  | { kind: "decide"; observation: Observation }
  | { kind: "formation"; quantity: number }
  | { kind: "quiet"; dyno: Dyno }
  | { kind: "restart"; dyno: Dyno }
  | { kind: "one-off"; count: number }
  | { kind: "ttl"; dyno: Dyno };

interface Dyno {
  /** `quiet`: booted, finishing what it runs, fetching nothing more. */
  state: "booting" | "up" | "quiet" | "stopping" | "stopped";
  startedAt: number;
  running: number[];
  /** A one-off dyno: exits by itself when it is idle and the queue is empty. */
  oneOff: boolean;
}

/** The percentile of sorted values (nearest rank). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * Runs one policy over one trace in virtual time: jobs arrive, wait FIFO, run on dynos with
 * `concurrency` slots (a free slot is picked at random, weighted by free slots, as competing
 * workers do), dynos boot after a delay, downscales stop the highest-numbered dynos with a
 * 30 s grace and kill what still runs (killed jobs go back to the front and run again).
 * Billing is per second from boot to stop.
 */
export function simulate(trace: Trace, policy: SimPolicy, options: SimOptions = defaultSimOptions): SimResult {
  const rng = new Rng(options.seed);
  const placeRng = rng.fork(1);
  const bootRng = rng.fork(2);
  const noiseRng = rng.fork(3);
  const heartbeatRng = rng.fork(4);
  const jobCount = trace.arrival.length;
  const concurrency = trace.concurrency;
  const maxDynos = maxDynosFor(trace.dynoSize);

  const readyAt = new Float64Array(jobCount);
  const waited = new Float64Array(jobCount);
  const attempt = new Uint16Array(jobCount);
  const queues = trace.queues.map(() => new JobDeque());
  const busyByQueue = new Int32Array(trace.queues.length);
  const events = new EventQueue<Event>();

  const active: Dyno[] = [];
  const oneOffs: Dyno[] = [];
  let oneOffStarts = 0;
  let oneOffPeak = 0;
  let quietSignals = 0;
  let wakes = 0;
  let lastWake = -Infinity;
  let restarts = 0;
  let freeSlots = 0;
  let dynoSeconds = 0;
  let billed = 0; // dynos billed right now (booting, up, stopping)
  let killed = 0;
  let updates = 0;
  let apiCalls = 0;
  let done = 0;
  let waiting = 0;
  let nextArrival = 0;
  let now = 0;

  const bucketSeconds = trace.horizonSeconds / chartBuckets;
  const series: Series = { bucketSeconds, depth: new Float64Array(chartBuckets), dynos: new Float64Array(chartBuckets) };
  const chart = (): void => {
    const b = Math.min(chartBuckets - 1, Math.floor(now / bucketSeconds));
    if (waiting > (series.depth[b] as number)) series.depth[b] = waiting;
    if (billed > (series.dynos[b] as number)) series.dynos[b] = billed;
  };

  const stopDyno = (dyno: Dyno): void => {
    if (dyno.state === "stopped") return;
    dynoSeconds += now - dyno.startedAt;
    dyno.state = "stopped";
    billed--;
  };

  const pickDyno = (): Dyno => {
    let target = placeRng.next() * freeSlots;
    for (const dyno of active) {
      if (dyno.state !== "up") continue;
      target -= concurrency - dyno.running.length;
      if (target < 0) return dyno;
    }
    for (const dyno of oneOffs) {
      if (dyno.state !== "up") continue;
      target -= concurrency - dyno.running.length;
      if (target < 0) return dyno;
    }
    // Rounding can leave target at the top edge: take the last dyno with room.
    for (const list of [oneOffs, active]) {
      for (let i = list.length - 1; i >= 0; i--) {
        const dyno = list[i] as Dyno;
        if (dyno.state === "up" && dyno.running.length < concurrency) return dyno;
      }
    }
    throw new Error("no free slot although freeSlots > 0");
  };

  const priority = trace.queuePriority;
  const nextQueue = (): number => {
    let best = -1;
    let bestKey = Infinity;
    let bestPriority = -Infinity;
    for (let q = 0; q < queues.length; q++) {
      const queue = queues[q] as JobDeque;
      if (queue.length === 0) continue;
      const key = readyAt[queue.front()] as number;
      const rank = priority ? (priority[q] ?? 0) : 0;
      if (rank > bestPriority || (rank === bestPriority && key < bestKey)) {
        bestPriority = rank;
        bestKey = key;
        best = q;
      }
    }
    return best;
  };

  const dispatch = (): void => {
    while (waiting > 0 && freeSlots > 0) {
      const q = nextQueue();
      const job = (queues[q] as JobDeque).popFront();
      waiting--;
      const dyno = pickDyno();
      dyno.running.push(job);
      freeSlots--;
      busyByQueue[q] = (busyByQueue[q] as number) + 1;
      waited[job] = (waited[job] as number) + (now - (readyAt[job] as number));
      events.push(now + (trace.duration[job] as number), { kind: "job-end", dyno, job, attempt: attempt[job] as number });
    }
  };

  const enqueue = (job: number, front: boolean): void => {
    readyAt[job] = now;
    const queue = queues[trace.queueIndex[job] as number] as JobDeque;
    if (front) queue.pushFront(job);
    else queue.pushBack(job);
    waiting++;
  };

  // What the last formation update asked for; the policy's idea of the formation.
  let requested = 0;
  // Since when the formation has been at zero (for the enqueue wake: the agent learns it from
  // Ebbflow's answer to its next report).
  let zeroSince = 0;
  const requestQuantity = (wanted: number): void => {
    const quantity = Math.max(0, Math.min(maxDynos, Math.round(wanted)));
    if (quantity === requested) return;
    if (quantity === 0) zeroSince = now;
    requested = quantity;
    updates++;
    apiCalls++;
    events.push(now + formationUpdateSeconds, { kind: "formation", quantity });
  };

  const setQuantity = (quantity: number): void => {
    if (quantity === active.length) return;
    while (active.length < quantity) {
      const dyno: Dyno = { state: "booting", startedAt: now, running: [], oneOff: false };
      active.push(dyno);
      billed++;
      const boot = trace.bootSeconds * (1 + bootRng.uniform(-options.bootJitter, options.bootJitter));
      events.push(now + boot, { kind: "boot", dyno });
    }
    while (active.length > quantity) {
      const dyno = active.pop() as Dyno;
      if (dyno.state === "booting") {
        stopDyno(dyno);
        continue;
      }
      if (dyno.state === "up") freeSlots -= concurrency - dyno.running.length;
      dyno.state = "stopping";
      if (dyno.running.length === 0) stopDyno(dyno);
      else events.push(now + shutdownGraceSeconds, { kind: "grace", dyno });
    }
    chart();
  };

  const bootDelay = (): number => trace.bootSeconds * (1 + bootRng.uniform(-options.bootJitter, options.bootJitter));

  /** A burst worker exits when it has nothing running and finds the queue empty. */
  const exitIdleOneOffs = (): void => {
    if (waiting > 0) return;
    for (let i = oneOffs.length - 1; i >= 0; i--) {
      const dyno = oneOffs[i] as Dyno;
      if (dyno.state !== "up" || dyno.running.length > 0) continue;
      freeSlots -= concurrency;
      stopDyno(dyno);
      oneOffs.splice(i, 1);
    }
  };

  const startOneOffs = (count: number): void => {
    // Heroku refuses a start above the app's concurrent one-off limit (422); nothing starts.
    const room = Math.max(0, oneOffLimitFor(trace.dynoSize) - oneOffs.length);
    for (let i = 0; i < Math.min(count, room); i++) {
      const dyno: Dyno = { state: "booting", startedAt: now, running: [], oneOff: true };
      oneOffs.push(dyno);
      billed++;
      oneOffStarts++;
      events.push(now + bootDelay(), { kind: "boot", dyno });
      if (policy.oneOffTimeToLiveSeconds !== undefined) events.push(now + policy.oneOffTimeToLiveSeconds, { kind: "ttl", dyno });
    }
    oneOffPeak = Math.max(oneOffPeak, oneOffs.length);
  };

  const actOn = (actions: SimActions): void => {
    if (actions.quantity !== null) requestQuantity(actions.quantity);
    for (const number of actions.quiet ?? []) {
      const dyno = active[number - 1];
      if (!dyno) continue;
      quietSignals++;
      // Taken on the worker's next heartbeat; a booting dyno has no worker to take it yet.
      if (dyno.state === "up") events.push(now + heartbeatRng.next() * heartbeatSeconds, { kind: "quiet", dyno });
    }
    for (const number of actions.restart ?? []) {
      const dyno = active[number - 1];
      if (!dyno) continue;
      restarts++;
      apiCalls++;
      events.push(now + formationUpdateSeconds, { kind: "restart", dyno });
    }
    if (actions.startOneOff && actions.startOneOff > 0) {
      apiCalls += actions.startOneOff;
      events.push(now + formationUpdateSeconds, { kind: "one-off", count: actions.startOneOff });
    }
  };

  const upDynos = (): number => {
    let up = 0;
    for (const dyno of active) if (dyno.state === "up") up++;
    return up;
  };

  const observe = (): Observation => {
    let depth = 0;
    let latency: number | null = null;
    let busy = 0;
    const perQueue = trace.queues.map((name, q) => {
      const queue = queues[q] as JobDeque;
      const trueDepth = queue.length;
      const noisyDepth = trueDepth === 0 ? 0 : Math.max(0, Math.round(trueDepth * (1 + options.depthNoise * noiseRng.normal())));
      const age = trueDepth === 0 ? null : Math.max(0, now - (readyAt[queue.front()] as number) + options.latencyNoiseSeconds * noiseRng.normal());
      depth += noisyDepth;
      if (age !== null) latency = Math.max(latency ?? 0, age);
      busy += busyByQueue[q] as number;
      return { name, depth: noisyDepth, latencySeconds: age, busy: busyByQueue[q] as number };
    });
    let highestBusyDyno = 0;
    for (let i = active.length - 1; i >= 0; i--) {
      if ((active[i] as Dyno).running.length > 0) {
        highestBusyDyno = i + 1;
        break;
      }
    }
    const dynos = [];
    for (let i = 0; i < active.length; i++) {
      const dyno = active[i] as Dyno;
      if (dyno.state === "up" || dyno.state === "quiet") dynos.push({ dyno: i + 1, quiet: dyno.state === "quiet", busy: dyno.running.length });
    }
    return {
      sampledAtSeconds: now,
      quantity: active.length,
      queues: perQueue,
      depth,
      latencySeconds: latency,
      busy,
      highestBusyDyno,
      upDynos: upDynos(),
      dynos,
      oneOffRunning: oneOffs.length,
    };
  };

  setQuantity(Math.min(maxDynos, policy.initialQuantity));
  requested = active.length;
  // Dynos that exist at the start are already up: the run begins mid-month, not at a deploy.
  for (const dyno of active) {
    dyno.state = "up";
    freeSlots += concurrency;
  }
  if (policy.checkIntervalSeconds !== null) events.push(policy.checkIntervalSeconds, { kind: "check" });

  const hardStop = trace.horizonSeconds + 7 * 86_400;
  for (;;) {
    const arrivalTime = nextArrival < jobCount ? (trace.arrival[nextArrival] as number) : Infinity;
    const eventTime = events.peekTime();
    const allDone = done === jobCount;
    if (allDone && Math.min(arrivalTime, eventTime) >= trace.horizonSeconds) break;
    if (Math.min(arrivalTime, eventTime) >= hardStop) break;
    if (arrivalTime <= eventTime) {
      now = arrivalTime;
      const job = nextArrival++;
      enqueue(job, false);
      if (policy.onEnqueue) {
        const wanted = policy.onEnqueue(requested, now);
        if (wanted !== null) requestQuantity(wanted);
      }
      const wake = policy.wakeOnEnqueue;
      if (wake && requested === 0 && now - zeroSince >= wake.knownAfterSeconds && now - lastWake >= wake.minGapSeconds) {
        lastWake = now;
        wakes++;
        events.push(now + wake.latencySeconds, { kind: "wake" });
      }
      dispatch();
      chart();
      continue;
    }
    const { time, item: event } = events.pop();
    now = time;
    switch (event.kind) {
      case "job-end": {
        if (attempt[event.job] !== event.attempt) break; // killed earlier; this run never finished
        const dyno = event.dyno;
        const index = dyno.running.indexOf(event.job);
        if (index < 0) break;
        dyno.running.splice(index, 1);
        const q = trace.queueIndex[event.job] as number;
        busyByQueue[q] = (busyByQueue[q] as number) - 1;
        done++;
        if (dyno.state === "up") {
          freeSlots++;
          dispatch();
          if (dyno.oneOff) exitIdleOneOffs();
        } else if (dyno.state === "stopping" && dyno.running.length === 0) {
          stopDyno(dyno);
        }
        break;
      }
      case "boot": {
        if (event.dyno.state !== "booting") break;
        event.dyno.state = "up";
        freeSlots += concurrency;
        dispatch();
        if (event.dyno.oneOff) exitIdleOneOffs();
        break;
      }
      case "quiet": {
        const dyno = event.dyno;
        if (dyno.state !== "up") break;
        freeSlots -= concurrency - dyno.running.length;
        dyno.state = "quiet";
        if (policy.checkOnQuietIdle && dyno.running.length === 0) events.push(now + policy.checkOnQuietIdle.latencySeconds, { kind: "wake" });
        break;
      }
      case "restart": {
        // A restarted dyno stops (SIGTERM, the same 30 s grace) and boots again, not quiet;
        // billing runs on. Ebbflow restarts only idle dynos, so the grace kills nothing.
        const dyno = event.dyno;
        if (dyno.state !== "up" && dyno.state !== "quiet") break;
        if (dyno.state === "up") freeSlots -= concurrency - dyno.running.length;
        for (const job of dyno.running) {
          killed++;
          attempt[job] = (attempt[job] as number) + 1;
          const q = trace.queueIndex[job] as number;
          busyByQueue[q] = (busyByQueue[q] as number) - 1;
          enqueue(job, true);
        }
        dyno.running = [];
        dyno.state = "booting";
        events.push(now + bootDelay(), { kind: "boot", dyno });
        dispatch();
        break;
      }
      case "one-off": {
        startOneOffs(event.count);
        break;
      }
      case "ttl": {
        const dyno = event.dyno;
        const index = oneOffs.indexOf(dyno);
        if (index < 0) break;
        if (dyno.state === "up") freeSlots -= concurrency - dyno.running.length;
        for (const job of dyno.running) {
          killed++;
          attempt[job] = (attempt[job] as number) + 1;
          const q = trace.queueIndex[job] as number;
          busyByQueue[q] = (busyByQueue[q] as number) - 1;
          enqueue(job, true);
        }
        dyno.running = [];
        stopDyno(dyno);
        oneOffs.splice(index, 1);
        dispatch();
        break;
      }
      case "grace": {
        const dyno = event.dyno;
        if (dyno.state !== "stopping") break;
        for (const job of dyno.running) {
          killed++;
          attempt[job] = (attempt[job] as number) + 1;
          const q = trace.queueIndex[job] as number;
          busyByQueue[q] = (busyByQueue[q] as number) - 1;
          enqueue(job, true);
        }
        dyno.running = [];
        stopDyno(dyno);
        dispatch();
        break;
      }
      case "check": {
        apiCalls += policy.apiReadsPerCheck;
        events.push(now + policy.reportingDelaySeconds, { kind: "decide", observation: observe() });
        if (policy.checkIntervalSeconds !== null) events.push(now + policy.checkIntervalSeconds, { kind: "check" });
        break;
      }
      case "wake": {
        // An extra check, off the schedule: the agent said work arrived to an empty formation,
        // or that a dyno it quieted is idle.
        apiCalls += policy.apiReadsPerCheck;
        events.push(now, { kind: "decide", observation: observe() });
        break;
      }
      case "decide": {
        const observation = { ...event.observation, quantity: requested, upDynos: upDynos() };
        const wanted = policy.check(observation, now, () => ({ ...observe(), quantity: requested }));
        if (typeof wanted === "number") requestQuantity(wanted);
        else if (wanted !== null) actOn(wanted);
        break;
      }
      case "formation": {
        setQuantity(event.quantity);
        dispatch();
        break;
      }
    }
    chart();
  }

  const end = Math.max(now, trace.horizonSeconds);
  now = end;
  for (const dyno of active) stopDyno(dyno);
  for (const dyno of oneOffs) stopDyno(dyno);
  const waits = Float64Array.from(waited.subarray(0, jobCount)).sort();
  let sum = 0;
  for (const w of waits) sum += w;
  return {
    policy: policy.name,
    dynoSeconds,
    dollars: dynoSeconds * dollarsPerSecond(trace.dynoSize),
    waitSeconds: {
      p50: percentile(waits, 50),
      p95: percentile(waits, 95),
      p99: percentile(waits, 99),
      max: waits.length > 0 ? (waits[waits.length - 1] as number) : 0,
      mean: waits.length > 0 ? sum / waits.length : 0,
    },
    jobsKilled: killed,
    formationUpdates: updates,
    oneOffStarts,
    oneOffPeak,
    quietSignals,
    wakes,
    restarts,
    apiCalls,
    unfinishedJobs: jobCount - done,
    series,
  };
}
