import type { SimClock } from "../clock";
import type { DynoSize } from "../dyno-sizes";
import type { JobBackend } from "../jobs/job-backend";
import type { HttpRouter } from "../router/http-router";
import type { WebDynoHost } from "../router/web-dynos";
import { BillingLedger, type Usage } from "./billing-ledger";
import type { Dyno, DynoEvents } from "./dyno";
import { OneOffDynos, type OneOffCounters } from "./one-off-dynos";
import { ProcessType, type ProcessTypeConfig } from "./process-type";

export interface JobCounters {
  started: number;
  completed: number;
  failed: number;
  /** Jobs killed at the end of a downscale's grace period (and put back on their queue). */
  killed: number;
}

export interface AppStats {
  dynos: { starting: number; up: number; stopping: number };
  formation: Record<string, { quantity: number; size: string }>;
  jobs: JobCounters;
  /** Jobs running on dynos right now. */
  busy: number;
  usage: Usage;
  /** One-off dynos: running now, and started, exited, expired and most at once so far. */
  oneOff: OneOffCounters & { running: number };
}

/** The running side of one simulated app: its process types, their dynos, jobs and bill. */
export class AppRuntime {
  readonly processTypes = new Map<string, ProcessType>();
  readonly counters: JobCounters = { started: 0, completed: 0, failed: 0, killed: 0 };
  private readonly ledger = new BillingLedger();
  readonly oneOffs: OneOffDynos;

  constructor(
    private readonly clock: SimClock,
    readonly backend: JobBackend | null,
    configs: ProcessTypeConfig[],
    private readonly onError: (error: unknown, context: string) => void,
    onDynoChange?: DynoEvents["changed"],
    /** The app's router, when its web dynos run for real (`startSim({ webProcesses })`). */
    readonly web: { router: HttpRouter; host: WebDynoHost } | null = null,
  ) {
    const events: Omit<DynoEvents, "stopped"> = {
      jobStarted: () => (this.counters.started += 1),
      jobCompleted: () => (this.counters.completed += 1),
      jobFailed: () => (this.counters.failed += 1),
      jobsKilled: (count: number) => (this.counters.killed += count),
      changed: onDynoChange,
    };
    this.oneOffs = new OneOffDynos({
      clock,
      backend,
      onError,
      events,
      pollIntervalSeconds: configs[0]?.pollIntervalSeconds ?? 1,
      dynoStopped: (dyno) => this.ledger.record(dyno.spec.size, dyno.createdAtMs, dyno.stoppedAtMs ?? clock.now()),
    });
    for (const config of configs) {
      this.processTypes.set(
        config.type,
        new ProcessType(config, {
          clock,
          backend,
          onError,
          events,
          dynoStopped: (dyno) => this.ledger.record(dyno.spec.size, dyno.createdAtMs, dyno.stoppedAtMs ?? clock.now()),
          web: config.type === "web" ? web?.host : null,
        }),
      );
    }
  }

  /** Applies validated formation changes together, as one batch update. */
  async applyFormation(changes: { type: string; quantity: number; size: DynoSize }[]): Promise<void> {
    await Promise.all(
      changes.map((change) => {
        const processType = this.processTypes.get(change.type);
        if (!processType) throw new Error(`no process type ${change.type}`);
        return processType.apply(change.quantity, change.size);
      }),
    );
  }

  /** Restarts formation dynos by name (`worker.3`); false when none has that name. */
  restartDyno(name: string): boolean {
    const dyno = this.dynos().find((d) => d.name === name && (d.state === "starting" || d.state === "up"));
    const processType = dyno ? this.processTypes.get(dyno.spec.type) : undefined;
    if (!dyno || !processType) return false;
    void processType.restart(dyno.spec.number).catch((error: unknown) => this.onError(error, `restarting ${name}`));
    return true;
  }

  /** Every dyno not yet stopped: the formation's in order, then one-off dynos. */
  dynos(): Dyno[] {
    return [...[...this.processTypes.values()].flatMap((processType) => processType.dynos), ...this.oneOffs.dynos];
  }

  stats(): AppStats {
    const dynos = this.dynos();
    const count = (state: Dyno["state"]) => dynos.filter((dyno) => dyno.state === state).length;
    const formation: AppStats["formation"] = {};
    for (const processType of this.processTypes.values()) {
      formation[processType.type] = { quantity: processType.quantity, size: processType.size.name };
    }
    return {
      dynos: { starting: count("starting"), up: count("up"), stopping: count("stopping") },
      formation,
      jobs: { ...this.counters },
      busy: dynos.reduce((sum, dyno) => sum + dyno.busy(), 0),
      oneOff: { ...this.oneOffs.counters, running: this.oneOffs.dynos.filter((d) => d.state === "starting" || d.state === "up").length },
      usage: this.ledger.usage(
        dynos.map((dyno) => ({ size: dyno.spec.size, startedAtMs: dyno.createdAtMs })),
        this.clock.now(),
      ),
    };
  }

  /** Jobs waiting on the given queues (0 when the app has no job store). */
  async queueDepth(queues: string[]): Promise<number> {
    if (!this.backend) return 0;
    const depths = await Promise.all(queues.map((queue) => this.backend?.depth(queue) ?? 0));
    return depths.reduce((sum, depth) => sum + depth, 0);
  }

  /** Stops everything at once and releases Redis connections. */
  async close(): Promise<void> {
    await Promise.all([...this.processTypes.values()].map((processType) => processType.terminate()));
    await this.oneOffs.terminate();
    await this.web?.router.close();
    try {
      await this.backend?.close();
    } catch (error) {
      this.onError(error, "closing job backend");
    }
  }
}
