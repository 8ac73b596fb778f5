import { dynoCostDollars, type DynoSize } from "../dyno-sizes";

export interface UsageLine {
  size: string;
  dynoSeconds: number;
  dollars: number;
}

export interface Usage {
  dynoSeconds: number;
  dollars: number;
  bySize: UsageLine[];
}

/** A dyno that is still running, billed up to now. */
export interface OpenDyno {
  size: DynoSize;
  startedAtMs: number;
}

/**
 * Per-second dyno billing: a dyno costs its size's hourly price from the moment it is started
 * (booting counts, as on Heroku) until it has stopped.
 */
export class BillingLedger {
  private readonly closedSeconds = new Map<string, { size: DynoSize; seconds: number }>();

  /** Books a dyno that has stopped. */
  record(size: DynoSize, startedAtMs: number, stoppedAtMs: number): void {
    const line = this.closedSeconds.get(size.name) ?? { size, seconds: 0 };
    line.seconds += Math.max(0, stoppedAtMs - startedAtMs) / 1000;
    this.closedSeconds.set(size.name, line);
  }

  /** Everything billed so far, including dynos still running up to `nowMs`. */
  usage(open: OpenDyno[], nowMs: number): Usage {
    const seconds = new Map<string, { size: DynoSize; seconds: number }>();
    for (const [name, line] of this.closedSeconds) seconds.set(name, { ...line });
    for (const dyno of open) {
      const line = seconds.get(dyno.size.name) ?? { size: dyno.size, seconds: 0 };
      line.seconds += Math.max(0, nowMs - dyno.startedAtMs) / 1000;
      seconds.set(dyno.size.name, line);
    }
    const bySize = [...seconds.values()].map(({ size, seconds: dynoSeconds }) => ({
      size: size.name,
      dynoSeconds,
      dollars: dynoCostDollars(size, dynoSeconds),
    }));
    return {
      dynoSeconds: bySize.reduce((sum, line) => sum + line.dynoSeconds, 0),
      dollars: bySize.reduce((sum, line) => sum + line.dollars, 0),
      bySize,
    };
  }
}
