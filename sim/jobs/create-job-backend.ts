import type { SimClock } from "../clock";
import type { JobStoreSpec } from "../world/app-spec";
import { BullmqBackend } from "./bullmq-backend";
import type { JobBackend } from "./job-backend";
import { SidekiqBackend } from "./sidekiq-backend";

export interface JobBackendSettings {
  clock: SimClock;
  /** Seconds between Sidekiq heartbeats. */
  heartbeatSeconds: number;
  /** Run time of a job whose payload names no duration. */
  defaultJobSeconds: number;
  onError: (error: unknown, context: string) => void;
}

/** The job library an app uses, talking to the app's own Redis. */
export function createJobBackend(jobs: JobStoreSpec, settings: JobBackendSettings): JobBackend {
  if (jobs.backend === "sidekiq") {
    return new SidekiqBackend({
      redisUrl: jobs.redisUrl,
      namespace: jobs.namespace,
      version: jobs.version,
      clock: settings.clock,
      heartbeatSeconds: settings.heartbeatSeconds,
      defaultJobSeconds: settings.defaultJobSeconds,
      onError: settings.onError,
    });
  }
  return new BullmqBackend({
    redisUrl: jobs.redisUrl,
    prefix: jobs.prefix,
    clock: settings.clock,
    defaultJobSeconds: settings.defaultJobSeconds,
    onError: settings.onError,
  });
}
