import type { SimClock, SimTimer } from "../clock";
import type { DynoSize } from "../dyno-sizes";
import type { JobBackend } from "../jobs/job-backend";
import { Dyno, type DynoEvents } from "./dyno";
import type { ProcessTypeConfig } from "./process-type";

/** Heroku's concurrent one-off dynos per app, by size: Eco 1, Basic and Standard 50, else 5. */
export function oneOffLimit(size: DynoSize): number {
  const name = size.name.toLowerCase();
  if (name === "eco" || name === "free" || name === "hobby") return 1;
  if (name === "basic" || name.startsWith("standard")) return 50;
  return 5;
}

/**
 * Commands that exit when their queues are empty: RQ `--burst`, Delayed Job `jobs:workoff`
 * (or `--exit-on-complete`), Resque `INTERVAL=0`, GoodJob `--idle-timeout`, a BullMQ worker
 * that closes on `drained`. Any other command runs until its time-to-live.
 */
export function exitsWhenEmpty(command: string): boolean {
  return /(--burst|jobs:workoff|--exit-on-complete|INTERVAL=0\b|--idle-timeout|drained)/.test(command);
}

export interface OneOffRequest {
  command: string;
  size: DynoSize;
  type: string;
  timeToLiveSeconds: number;
  /** The process type whose queues and concurrency the command works (EBBFLOW_PROCESS_TYPE, else the first with queues). */
  worksLike: ProcessTypeConfig | undefined;
}

export interface OneOffCounters {
  started: number;
  exited: number;
  /** Stopped at their time-to-live rather than by themselves. */
  expired: number;
  peak: number;
}

/**
 * An app's one-off dynos: each boots, works its process type's queues, and (for an
 * exit-when-empty command) exits once it has nothing running and finds the queues empty.
 * Heroku stops it at its time-to-live whatever it runs (SIGTERM, grace, SIGKILL).
 */
export class OneOffDynos {
  readonly dynos: Dyno[] = [];
  readonly counters: OneOffCounters = { started: 0, exited: 0, expired: 0, peak: 0 };
  private pollTimer: SimTimer | null = null;
  private readonly usedNumbers = new Set<number>();

  constructor(
    private readonly deps: {
      clock: SimClock;
      backend: JobBackend | null;
      events: Omit<DynoEvents, "stopped">;
      dynoStopped: (dyno: Dyno) => void;
      onError: (error: unknown, context: string) => void;
      pollIntervalSeconds: number;
    },
  ) {}

  /** One-off dynos of this size tier starting or up. */
  runningOfSize(size: DynoSize): number {
    const limitClass = oneOffLimit(size);
    return this.dynos.filter((d) => (d.state === "starting" || d.state === "up") && oneOffLimit(d.spec.size) === limitClass).length;
  }

  start(request: OneOffRequest): Dyno {
    const config = request.worksLike;
    let number = 1000 + Math.floor(Math.random() * 9000);
    while (this.usedNumbers.has(number)) number = 1000 + Math.floor(Math.random() * 9000);
    this.usedNumbers.add(number);
    const burst = exitsWhenEmpty(request.command);
    const dyno: Dyno = new Dyno(
      {
        type: request.type,
        number,
        command: request.command,
        size: request.size,
        concurrency: config?.concurrency ?? 1,
        queues: config?.queues ?? [],
        bootDelaySeconds: config?.bootDelaySeconds ?? 0,
        shutdownGraceSeconds: config?.shutdownGraceSeconds ?? 30,
      },
      {
        clock: this.deps.clock,
        backend: this.deps.backend,
        onError: this.deps.onError,
        events: {
          ...this.deps.events,
          stopped: (stopped) => {
            const index = this.dynos.indexOf(stopped);
            if (index >= 0) this.dynos.splice(index, 1);
            this.counters.exited += 1;
            this.deps.dynoStopped(stopped);
          },
        },
      },
    );
    this.dynos.push(dyno);
    this.counters.started += 1;
    this.counters.peak = Math.max(this.counters.peak, this.dynos.length);
    dyno.boot();
    const expiry = this.deps.clock.setTimer(request.timeToLiveSeconds * 1000, () => {
      if (dyno.state === "stopped") return;
      this.counters.expired += 1;
      void dyno.stop();
    });
    void dyno.stopped.then(() => expiry.cancel());
    if (burst) this.burstDynos.add(dyno);
    this.ensurePolling();
    return dyno;
  }

  private readonly burstDynos = new Set<Dyno>();

  async terminate(): Promise<void> {
    this.pollTimer?.cancel();
    this.pollTimer = null;
    await Promise.all(this.dynos.map((dyno) => dyno.terminate()));
  }

  private ensurePolling(): void {
    if (this.pollTimer || this.dynos.length === 0) return;
    this.pollTimer = this.deps.clock.setTimer(this.deps.pollIntervalSeconds * 1000, () => this.poll());
  }

  private async poll(): Promise<void> {
    this.pollTimer = null;
    for (const dyno of [...this.dynos]) {
      if (dyno.state !== "up") continue;
      const empty = this.deps.backend && dyno.spec.queues.length > 0 ? await dyno.fill() : true;
      if (empty && dyno.busy() === 0 && this.burstDynos.has(dyno)) {
        this.burstDynos.delete(dyno);
        await dyno.exitByItself();
      }
    }
    this.ensurePolling();
  }
}
