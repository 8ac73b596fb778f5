/**
 * The simulator's notion of time. Everything that Heroku measures in wall-clock time (dyno
 * boot, SIGTERM grace, token expiry, rate-limit refill, job durations, billing) is measured on
 * this clock instead, so tests can run hours of platform time in seconds (ManualClock) and the
 * demo can run a trace faster than real time (RealClock with a speed factor).
 */
export interface SimClock {
  /** Sim time, epoch milliseconds. */
  now(): number;
  /** Runs `callback` once `delayMs` of sim time has passed. */
  setTimer(delayMs: number, callback: TimerCallback): SimTimer;
  /** Resolves after `delayMs` of sim time; rejects with the signal's reason if aborted first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
  /** How many sim milliseconds pass per real millisecond; 0 for a manual clock. */
  readonly speed: number;
  /** Cancels every pending timer (used when the simulator shuts down). */
  dispose(): void;
}

export type TimerCallback = () => void | Promise<void>;

export interface SimTimer {
  cancel(): void;
}

type ErrorReporter = (error: unknown) => void;

function defaultReporter(error: unknown): void {
  console.error("sim clock timer failed", error);
}

/** Sleep built on setTimer, shared by both clocks. */
function sleepOn(clock: Pick<SimClock, "setTimer">, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(delayMs, () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Wall-clock time, optionally accelerated: with speed 10, ten sim seconds pass per real
 * second, and a timer for 30 sim seconds fires after 3 real seconds.
 */
export class RealClock implements SimClock {
  readonly speed: number;
  private readonly realStartMs: number;
  private readonly simStartMs: number;
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly onError: ErrorReporter;

  constructor(options: { speed?: number; startMs?: number; onError?: ErrorReporter } = {}) {
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new Error(`clock speed must be positive, got ${this.speed}`);
    this.realStartMs = Date.now();
    this.simStartMs = options.startMs ?? this.realStartMs;
    this.onError = options.onError ?? defaultReporter;
  }

  now(): number {
    return this.simStartMs + (Date.now() - this.realStartMs) * this.speed;
  }

  setTimer(delayMs: number, callback: TimerCallback): SimTimer {
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      try {
        Promise.resolve(callback()).catch(this.onError);
      } catch (error) {
        this.onError(error);
      }
    }, Math.max(0, delayMs) / this.speed);
    this.pending.add(handle);
    return {
      cancel: () => {
        clearTimeout(handle);
        this.pending.delete(handle);
      },
    };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  dispose(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}

interface ManualTimer {
  atMs: number;
  sequence: number;
  callback: TimerCallback;
  cancelled: boolean;
}

/**
 * Time that moves only when a test says so. `advance` fires due timers in order, one at a
 * time, and awaits each callback (and the Redis work it starts) before the next, so a test
 * that advances 30 s sees exactly what 30 s of platform time would have done.
 */
export class ManualClock implements SimClock {
  readonly speed = 0;
  private currentMs: number;
  private sequence = 0;
  private timers: ManualTimer[] = [];
  private advancing: Promise<void> = Promise.resolve();
  private readonly onError: ErrorReporter;

  constructor(options: { startMs?: number; onError?: ErrorReporter } = {}) {
    this.currentMs = options.startMs ?? Date.now();
    this.onError = options.onError ?? defaultReporter;
  }

  now(): number {
    return this.currentMs;
  }

  setTimer(delayMs: number, callback: TimerCallback): SimTimer {
    const timer: ManualTimer = {
      atMs: this.currentMs + Math.max(0, delayMs),
      sequence: this.sequence++,
      callback,
      cancelled: false,
    };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  /** Number of timers still waiting to fire. */
  pendingTimers(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): Promise<void> {
    const run = this.advancing.then(() => this.advanceTo(this.currentMs + ms));
    this.advancing = run.catch(() => undefined);
    return run;
  }

  /** `advance` in seconds, the unit most Heroku behaviour is described in. */
  advanceSeconds(seconds: number): Promise<void> {
    return this.advance(seconds * 1000);
  }

  private async advanceTo(targetMs: number): Promise<void> {
    for (;;) {
      const next = this.nextDue(targetMs);
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.currentMs = Math.max(this.currentMs, next.atMs);
      try {
        await next.callback();
      } catch (error) {
        this.onError(error);
      }
      // Let promise chains started by the callback (e.g. a sleep resolved by it) settle
      // before the next timer fires, as they would in real time.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.currentMs = Math.max(this.currentMs, targetMs);
  }

  private nextDue(targetMs: number): ManualTimer | undefined {
    this.timers = this.timers.filter((timer) => !timer.cancelled);
    let best: ManualTimer | undefined;
    for (const timer of this.timers) {
      if (timer.atMs > targetMs) continue;
      if (!best || timer.atMs < best.atMs || (timer.atMs === best.atMs && timer.sequence < best.sequence)) {
        best = timer;
      }
    }
    return best;
  }

  dispose(): void {
    for (const timer of this.timers) timer.cancelled = true;
    this.timers = [];
  }
}
