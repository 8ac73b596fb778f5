import type { SimClock, SimTimer } from "../clock";
import type { TraceJob } from "./trace";

export interface LoadGeneratorOptions {
  clock: SimClock;
  jobs: readonly TraceJob[];
  /** Puts one job on its queue (e.g. a JobBackend's enqueue). */
  enqueue: (job: TraceJob) => Promise<unknown>;
  /** Sim time the trace's t = 0 maps to (default: now). */
  startAtMs?: number;
  onError?: (error: unknown) => void;
}

export interface LoadRun {
  /** Resolves when every job of the trace has been enqueued (or the run was stopped). */
  readonly done: Promise<void>;
  enqueued(): number;
  /** Sim seconds from the start to the last job of the trace. */
  readonly lastJobSeconds: number;
  stop(): void;
}

/**
 * Replays a trace: each job is enqueued when the sim clock reaches its `t`. Speed comes from
 * the clock (a RealClock with speed 10 replays ten times faster than real time; a ManualClock
 * replays as the test advances). One timer is pending at a time, so long traces stay cheap.
 */
export function runLoad(options: LoadGeneratorOptions): LoadRun {
  const { clock, jobs } = options;
  const startAtMs = options.startAtMs ?? clock.now();
  let next = 0;
  let stopped = false;
  let timer: SimTimer | null = null;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const dueAtMs = (job: TraceJob) => startAtMs + job.t * 1000;

  const schedule = () => {
    const job = jobs[next];
    if (stopped || !job) {
      finish();
      return;
    }
    timer = clock.setTimer(Math.max(0, dueAtMs(job) - clock.now()), release);
  };

  async function release(): Promise<void> {
    timer = null;
    for (let job = jobs[next]; !stopped && job && dueAtMs(job) <= clock.now(); job = jobs[next]) {
      next += 1;
      try {
        await options.enqueue(job);
      } catch (error) {
        options.onError?.(error);
      }
    }
    schedule();
  }

  schedule();
  return {
    done,
    enqueued: () => next,
    lastJobSeconds: jobs.reduce((latest, job) => Math.max(latest, job.t), 0),
    stop: () => {
      stopped = true;
      timer?.cancel();
      finish();
    },
  };
}
