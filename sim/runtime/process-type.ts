import type { SimClock, SimTimer } from "../clock";
import type { DynoSize } from "../dyno-sizes";
import { newId } from "../ids";
import type { JobBackend } from "../jobs/job-backend";
import type { WebDynoHost } from "../router/web-dynos";
import { Dyno, type DynoEvents } from "./dyno";

export interface ProcessTypeConfig {
  type: string;
  command: string;
  size: DynoSize;
  /** Jobs one dyno works at once (Sidekiq threads, BullMQ concurrency). */
  concurrency: number;
  queues: string[];
  bootDelaySeconds: number;
  shutdownGraceSeconds: number;
  /** How often idle dynos look for new jobs (sim seconds); stands in for a blocking pop. */
  pollIntervalSeconds: number;
}

export interface ProcessTypeDeps {
  clock: SimClock;
  backend: JobBackend | null;
  events: Omit<DynoEvents, "stopped">;
  dynoStopped: (dyno: Dyno) => void;
  onError: (error: unknown, context: string) => void;
  /** Runs this type's dynos as real processes behind the app's router (the `web` type only). */
  web?: WebDynoHost | null;
}

/**
 * One process type of an app's formation and the dynos that run it. Scaling up starts the
 * missing `type.N` dynos; scaling down stops the highest-numbered ones, as Heroku does.
 */
export class ProcessType {
  readonly id = newId();
  readonly createdAtMs: number;
  updatedAtMs: number;
  quantity = 0;
  size: DynoSize;
  /** Dynos starting, up or stopping. */
  readonly dynos: Dyno[] = [];
  private pollTimer: SimTimer | null = null;

  constructor(
    readonly config: ProcessTypeConfig,
    private readonly deps: ProcessTypeDeps,
  ) {
    this.size = config.size;
    this.createdAtMs = deps.clock.now();
    this.updatedAtMs = this.createdAtMs;
  }

  get type(): string {
    return this.config.type;
  }

  /** Dynos that count toward the formation (not the ones shutting down). */
  activeDynos(): Dyno[] {
    return this.dynos.filter((dyno) => dyno.state === "starting" || dyno.state === "up");
  }

  /** Applies a new quantity and size; a size change restarts every dyno of the type. */
  async apply(quantity: number, size: DynoSize): Promise<void> {
    const resized = size.name !== this.size.name;
    this.quantity = quantity;
    this.size = size;
    this.updatedAtMs = this.deps.clock.now();
    const stopping: Promise<void>[] = [];
    for (const dyno of this.activeDynos()) {
      if (resized || dyno.spec.number > quantity) stopping.push(dyno.stop());
    }
    const running = new Set(this.activeDynos().map((dyno) => dyno.spec.number));
    for (let number = 1; number <= quantity; number += 1) {
      if (!running.has(number)) this.startDyno(number);
    }
    this.ensurePolling();
    await Promise.all(stopping);
  }

  /**
   * Heroku's restart of one formation dyno (`DELETE /apps/{app}/dynos/{dyno}`, and `stop` on a
   * formation dyno): SIGTERM and the grace period for the running process, and a new process
   * under the same name that boots at once. Jobs still running at the end of the grace are
   * killed and counted, as on a downscale.
   */
  async restart(number: number): Promise<void> {
    const old = this.activeDynos().find((dyno) => dyno.spec.number === number);
    if (!old) return;
    this.startDyno(number);
    this.ensurePolling();
    await old.stop();
  }

  /** Stops every dyno at once (simulator shutdown). */
  async terminate(): Promise<void> {
    this.pollTimer?.cancel();
    this.pollTimer = null;
    await Promise.all(this.dynos.map((dyno) => dyno.terminate()));
  }

  private startDyno(number: number): void {
    const dyno = new Dyno(
      {
        type: this.config.type,
        number,
        command: this.config.command,
        size: this.size,
        concurrency: this.config.concurrency,
        queues: this.config.queues,
        bootDelaySeconds: this.config.bootDelaySeconds,
        shutdownGraceSeconds: this.config.shutdownGraceSeconds,
      },
      {
        clock: this.deps.clock,
        backend: this.deps.backend,
        onError: this.deps.onError,
        web: this.deps.web,
        events: {
          ...this.deps.events,
          stopped: (stopped) => {
            const index = this.dynos.indexOf(stopped);
            if (index >= 0) this.dynos.splice(index, 1);
            this.deps.dynoStopped(stopped);
          },
        },
      },
    );
    this.dynos.push(dyno);
    dyno.boot();
  }

  private ensurePolling(): void {
    if (this.pollTimer || !this.deps.backend || this.config.queues.length === 0) return;
    this.pollTimer = this.deps.clock.setTimer(this.config.pollIntervalSeconds * 1000, () => this.poll());
  }

  private async poll(): Promise<void> {
    this.pollTimer = null;
    const up = this.dynos.filter((dyno) => dyno.state === "up").sort((a, b) => a.spec.number - b.spec.number);
    for (const dyno of up) {
      const queuesEmpty = await dyno.fill();
      if (queuesEmpty) break;
    }
    if (this.dynos.length > 0) this.ensurePolling();
  }
}
