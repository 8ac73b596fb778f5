import type { SimClock, SimTimer } from "../clock";
import type { DynoSize } from "../dyno-sizes";
import { newId } from "../ids";
import type { JobBackend, JobRunner } from "../jobs/job-backend";
import type { WebDynoHost } from "../router/web-dynos";

export type DynoState = "starting" | "up" | "stopping" | "stopped";

export interface DynoSpec {
  type: string;
  number: number;
  command: string;
  size: DynoSize;
  concurrency: number;
  /** Queues this process type works, in priority order; empty for dynos that run no jobs. */
  queues: string[];
  bootDelaySeconds: number;
  shutdownGraceSeconds: number;
}

/** What a dyno reports to its app. */
export interface DynoEvents {
  jobStarted(): void;
  jobCompleted(): void;
  jobFailed(): void;
  jobsKilled(count: number): void;
  stopped(dyno: Dyno): void;
  /** The dyno was created, changed state, or is gone (what Heroku's `api:dyno` webhooks report). */
  changed?(dyno: Dyno, action: "create" | "update" | "destroy"): void;
}

export interface DynoDeps {
  clock: SimClock;
  backend: JobBackend | null;
  events: DynoEvents;
  onError: (error: unknown, context: string) => void;
  /** Set for web dynos that run their command for real behind the app's router. */
  web?: WebDynoHost | null;
}

/**
 * One dyno: `starting` for the boot delay, then `up` and working jobs; on a stop, SIGTERM
 * (`stopping`: no new jobs), then SIGKILL at the end of the grace period, when jobs still
 * running are killed and put back on their queues. A dyno that runs out of work during the
 * grace period exits early, as Sidekiq and BullMQ workers do.
 */
export class Dyno {
  readonly id = newId();
  readonly name: string;
  readonly createdAtMs: number;
  state: DynoState = "starting";
  updatedAtMs: number;
  stoppedAtMs: number | null = null;
  /** Resolves once the dyno has stopped. */
  readonly stopped: Promise<void>;

  private runner: JobRunner | null = null;
  private bootTimer: SimTimer | null = null;
  private graceTimer: SimTimer | null = null;
  private exiting: Promise<void> | null = null;
  private resolveStopped: () => void = () => undefined;

  constructor(
    readonly spec: DynoSpec,
    private readonly deps: DynoDeps,
  ) {
    this.name = `${spec.type}.${spec.number}`;
    this.createdAtMs = deps.clock.now();
    this.updatedAtMs = this.createdAtMs;
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  boot(): void {
    this.deps.events.changed?.(this, "create");
    this.bootTimer = this.deps.clock.setTimer(this.spec.bootDelaySeconds * 1000, () => this.becomeUp());
  }

  busy(): number {
    return this.runner?.busy() ?? 0;
  }

  /** Takes jobs into free slots; true when the queues were found empty. */
  fill(): Promise<boolean> {
    if (this.state !== "up" || !this.runner) return Promise.resolve(false);
    return this.runner.fill();
  }

  /** Heroku's stop on downscale or restart: SIGTERM now, SIGKILL after the grace period. */
  async stop(): Promise<void> {
    if (this.state === "starting") {
      this.bootTimer?.cancel();
      await this.exit();
      return;
    }
    if (this.state !== "up") return;
    this.setState("stopping");
    this.graceTimer = this.deps.clock.setTimer(this.spec.shutdownGraceSeconds * 1000, () => this.killAndExit());
    if (this.runner) await this.runner.quiet();
    else if (this.deps.web) {
      await this.deps.web.stop(this);
      await this.exit();
    } else await this.exit();
  }

  /** The command exited (a burst worker found its queues empty): the dyno ends, nothing is killed. */
  async exitByItself(): Promise<void> {
    if (this.state !== "up" || this.busy() > 0) return;
    await this.exit();
  }

  /** Stops at once (simulator shutdown); running jobs are put back, not counted as killed. */
  async terminate(): Promise<void> {
    this.bootTimer?.cancel();
    if (this.state === "stopped") return;
    if (this.runner && this.state !== "starting") await this.runner.kill();
    await this.deps.web?.kill(this);
    await this.exit();
  }

  private async becomeUp(): Promise<void> {
    if (this.state !== "starting") return;
    this.setState("up");
    if (this.deps.web) {
      await this.deps.web.start(this).catch((error: unknown) => this.deps.onError(error, `starting ${this.name}'s web process`));
      return;
    }
    const backend = this.deps.backend;
    if (!backend || this.spec.queues.length === 0) return;
    const events = this.deps.events;
    this.runner = backend.createRunner({
      dynoName: this.name,
      concurrency: this.spec.concurrency,
      queues: this.spec.queues,
      events: {
        jobStarted: () => events.jobStarted(),
        jobCompleted: () => events.jobCompleted(),
        jobFailed: () => events.jobFailed(),
        idle: () => (this.state === "stopping" ? this.exit() : Promise.resolve()),
      },
    });
    try {
      await this.runner.start();
    } catch (error) {
      this.deps.onError(error, `starting ${this.name}`);
    }
  }

  private async killAndExit(): Promise<void> {
    if (this.state !== "stopping") return;
    const killed = this.runner ? await this.runner.kill() : 0;
    if (killed > 0) this.deps.events.jobsKilled(killed);
    await this.deps.web?.kill(this);
    await this.exit();
  }

  private exit(): Promise<void> {
    this.exiting ??= this.runExit();
    return this.exiting;
  }

  private async runExit(): Promise<void> {
    this.graceTimer?.cancel();
    try {
      await this.runner?.exit();
    } catch (error) {
      this.deps.onError(error, `exiting ${this.name}`);
    }
    this.stoppedAtMs = this.deps.clock.now();
    this.setState("stopped");
    this.deps.events.stopped(this);
    this.resolveStopped();
  }

  private setState(state: DynoState): void {
    this.state = state;
    this.updatedAtMs = this.deps.clock.now();
    this.deps.events.changed?.(this, state === "stopped" ? "destroy" : "update");
  }
}
