import { heartbeatJob } from "@/worker/jobs/heartbeat";
import type { JobDefinition } from "@/worker/job";

/** Every job the worker runs, by name. Adding a job means adding it here. */
export const jobs = {
  [heartbeatJob.name]: heartbeatJob,
} satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof jobs;
export type JobRegistry = Record<string, JobDefinition>;
