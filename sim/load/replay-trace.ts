import type { z } from "zod";
import { RealClock, type SimClock } from "../clock";
import { createJobBackend } from "../jobs/create-job-backend";
import { jobStoreSpecSchema } from "../world/app-spec";
import { type LoadRun, runLoad } from "./load-generator";
import type { Trace } from "./trace";

export interface ReplayOptions {
  trace: Trace;
  /** The queue store to fill, e.g. `{ backend: "sidekiq", redisUrl, namespace }`. */
  jobs: z.input<typeof jobStoreSpecSchema>;
  /** Sim seconds per real second when no clock is given (default 1: real time). */
  speed?: number;
  clock?: SimClock;
  onError?: (error: unknown) => void;
}

/**
 * Replays a trace straight into a queue store, without a simulated Heroku: for driving a real
 * app's workers, or an Ebbflow probe, with a known load. Close the returned run when done.
 */
export function replayTrace(options: ReplayOptions): LoadRun & { close(): Promise<void> } {
  const clock = options.clock ?? new RealClock({ speed: options.speed ?? 1 });
  const onError = options.onError ?? ((error: unknown) => console.error("trace replay failed", error));
  const backend = createJobBackend(jobStoreSpecSchema.parse(options.jobs), {
    clock,
    heartbeatSeconds: 10,
    defaultJobSeconds: 1,
    onError: (error) => onError(error),
  });
  const run = runLoad({
    clock,
    jobs: options.trace.jobs,
    enqueue: (job) => backend.enqueue({ queue: job.queue, durationSeconds: job.duration }),
    onError,
  });
  return {
    ...run,
    close: async () => {
      run.stop();
      await backend.close();
      if (!options.clock) clock.dispose();
    },
  };
}
