import { EventQueue } from "@/bench/policy/event-queue";
import type { Rng } from "@/bench/policy/rng";
import { nextArrivalSeconds, type RateFunction } from "../load/request-rate";
import { RoutingCore } from "./routing-core";

export interface WebModelOptions {
  /** Draws the arrivals (its own stream, so every policy in a benchmark sees the same ones). */
  arrivalRng: Pick<Rng, "next" | "exponential">;
  /** Draws the dyno for each request (Heroku's random routing). */
  routingRandom: () => number;
  /** Requests a second over time (Poisson arrivals at this rate). */
  rate: RateFunction;
  /** The highest value `rate` takes (the thinning bound). */
  maxRps: number;
  /** Draws one request's service time in ms (e.g. `serviceTimeSampler`). */
  serviceMs: () => number;
  /** Requests one dyno serves at once. */
  concurrency: number;
  /** Seconds from starting a dyno until the router sends it requests. */
  bootSeconds: number;
  /** Dynos up (already booted) at t = 0. */
  initialDynos: number;
  /** No arrivals at or after this time (seconds). */
  arrivalsUntilSeconds: number;
  /** A request starts service: the app's middleware would record `queueMs` now. */
  onServiceStart?: (dyno: string, queueMs: number, tSeconds: number) => void;
  /** A request is answered: the router would log `responseMs` (queue + service). */
  onResponse?: (dyno: string, queueMs: number, responseMs: number, tSeconds: number) => void;
}

type DynoState = "starting" | "up" | "stopping";

interface ModelDyno {
  /** `web.N`, as Heroku names it. */
  name: string;
  /** Unique per process (a new `web.3` may boot while the old one stops). */
  key: string;
  number: number;
  state: DynoState;
  startedAtSeconds: number;
}

interface ModelRequest {
  arrivalSeconds: number;
}

type ModelEvent =
  | { kind: "arrival" }
  | { kind: "booted"; dyno: ModelDyno }
  | { kind: "done"; dyno: ModelDyno; request: ModelRequest; startSeconds: number };

/**
 * A web process type in simulated time, for the benchmark: Poisson arrivals at a rate that
 * changes over time, the same routing core as the real-time router (random dyno, a queue at
 * each busy dyno), service times drawn per request, dynos that boot before they are routed
 * to and, when the formation shrinks, stop getting requests at once and exit when they have
 * served what they hold (billed from start to exit). A day runs in seconds.
 */
export class WebModel {
  nowSeconds = 0;
  /** Requests answered 503 because no dyno was up (Heroku's H14). */
  rejected = 0;
  arrived = 0;
  answered = 0;

  private readonly events = new EventQueue<ModelEvent>();
  private readonly core: RoutingCore<ModelRequest>;
  private readonly dynos: ModelDyno[] = [];
  private readonly byKey = new Map<string, ModelDyno>();
  private serial = 0;
  private billedSeconds = 0;
  private waitingArea = 0;
  private lastAreaSeconds = 0;

  constructor(private readonly options: WebModelOptions) {
    this.core = new RoutingCore<ModelRequest>(options.routingRandom);
    for (let number = 1; number <= options.initialDynos; number += 1) {
      const dyno = this.startDyno(number);
      this.becomeUp(dyno);
    }
    this.scheduleArrival();
  }

  /** Formation dynos (starting or up), as Heroku counts the quantity. */
  quantity(): number {
    return this.dynos.filter((dyno) => dyno.state !== "stopping").length;
  }

  counts(): Record<DynoState, number> {
    const counts: Record<DynoState, number> = { starting: 0, up: 0, stopping: 0 };
    for (const dyno of this.dynos) counts[dyno.state] += 1;
    return counts;
  }

  /** Sets the formation's quantity now: new dynos boot; the highest-numbered ones stop. */
  scale(quantity: number): void {
    const active = this.dynos.filter((dyno) => dyno.state !== "stopping").sort((a, b) => a.number - b.number);
    for (const dyno of active) if (dyno.number > quantity) this.stopDyno(dyno);
    const running = new Set(active.filter((dyno) => dyno.number <= quantity).map((dyno) => dyno.number));
    for (let number = 1; number <= quantity; number += 1) {
      if (!running.has(number)) this.startDyno(number);
    }
  }

  /** Processes every event up to `tSeconds` and moves the clock there. */
  runUntil(tSeconds: number): void {
    while (this.events.size > 0 && this.events.peekTime() <= tSeconds) {
      const { time, item } = this.events.pop();
      this.advanceClock(time);
      this.handle(item);
    }
    this.advanceClock(Math.max(this.nowSeconds, tSeconds));
  }

  /** Dyno-seconds billed so far: exited dynos in full, running ones up to now. */
  dynoSeconds(): number {
    return this.billedSeconds + this.dynos.reduce((sum, dyno) => sum + (this.nowSeconds - dyno.startedAtSeconds), 0);
  }

  /** Requests waiting for a slot, over all dynos, integrated over time (request-seconds). */
  waitingRequestSeconds(): number {
    return this.waitingArea;
  }

  private advanceClock(tSeconds: number): void {
    this.waitingArea += this.core.totalWaiting() * (tSeconds - this.lastAreaSeconds);
    this.lastAreaSeconds = tSeconds;
    this.nowSeconds = tSeconds;
  }

  private handle(event: ModelEvent): void {
    if (event.kind === "arrival") this.arrive();
    else if (event.kind === "booted") this.becomeUp(event.dyno);
    else this.complete(event.dyno, event.request, event.startSeconds);
  }

  private scheduleArrival(): void {
    const { rate, maxRps, arrivalRng, arrivalsUntilSeconds } = this.options;
    const next = nextArrivalSeconds(rate, maxRps, arrivalRng, this.nowSeconds, arrivalsUntilSeconds);
    if (Number.isFinite(next)) this.events.push(next, { kind: "arrival" });
  }

  private arrive(): void {
    this.arrived += 1;
    const request = { arrivalSeconds: this.nowSeconds };
    const placement = this.core.route(request);
    if (!placement) this.rejected += 1;
    else if (placement.startsNow) this.startService(this.dynoByKey(placement.dyno), request);
    this.scheduleArrival();
  }

  private startService(dyno: ModelDyno, request: ModelRequest): void {
    const queueMs = (this.nowSeconds - request.arrivalSeconds) * 1000;
    this.options.onServiceStart?.(dyno.name, queueMs, this.nowSeconds);
    const serviceSeconds = this.options.serviceMs() / 1000;
    this.events.push(this.nowSeconds + serviceSeconds, { kind: "done", dyno, request, startSeconds: this.nowSeconds });
  }

  private complete(dyno: ModelDyno, request: ModelRequest, startSeconds: number): void {
    this.answered += 1;
    const queueMs = (startSeconds - request.arrivalSeconds) * 1000;
    this.options.onResponse?.(dyno.name, queueMs, (this.nowSeconds - request.arrivalSeconds) * 1000, this.nowSeconds);
    const next = this.core.finish(dyno.key);
    if (next) this.startService(dyno, next);
    else if (dyno.state === "stopping" && this.core.isIdle(dyno.key)) this.exit(dyno);
  }

  private startDyno(number: number): ModelDyno {
    this.serial += 1;
    const dyno: ModelDyno = { name: `web.${number}`, key: `web.${number}#${this.serial}`, number, state: "starting", startedAtSeconds: this.nowSeconds };
    this.dynos.push(dyno);
    this.byKey.set(dyno.key, dyno);
    this.events.push(this.nowSeconds + this.options.bootSeconds, { kind: "booted", dyno });
    return dyno;
  }

  private becomeUp(dyno: ModelDyno): void {
    if (dyno.state !== "starting") return;
    dyno.state = "up";
    this.core.addDyno(dyno.key, this.options.concurrency);
  }

  private stopDyno(dyno: ModelDyno): void {
    const wasUp = dyno.state === "up";
    dyno.state = "stopping";
    if (!wasUp || this.core.isIdle(dyno.key)) {
      this.exit(dyno);
      return;
    }
    this.core.stopRouting(dyno.key);
  }

  private exit(dyno: ModelDyno): void {
    this.core.removeDyno(dyno.key);
    this.byKey.delete(dyno.key);
    this.dynos.splice(this.dynos.indexOf(dyno), 1);
    this.billedSeconds += this.nowSeconds - dyno.startedAtSeconds;
  }

  private dynoByKey(key: string): ModelDyno {
    const dyno = this.byKey.get(key);
    if (!dyno) throw new Error(`no dyno ${key}`);
    return dyno;
  }
}
