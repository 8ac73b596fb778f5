/**
 * The seam between a simulated dyno and the job library the app uses (Sidekiq, BullMQ).
 * A backend knows the library's Redis layout; a runner is one dyno's worker process.
 */
export interface JobBackend {
  readonly kind: "sidekiq" | "bullmq";
  /** Puts one job on `queue`; its run time comes from `durationSeconds`. Returns the job id. */
  enqueue(job: EnqueueRequest): Promise<string>;
  /** Jobs waiting on `queue` (not counting running ones). */
  depth(queue: string): Promise<number>;
  /** The worker process of one dyno. */
  createRunner(dyno: RunnerSpec): JobRunner;
  /** Releases the backend's own connections (runners are exited first). */
  close(): Promise<void>;
}

export interface EnqueueRequest {
  queue: string;
  durationSeconds: number;
  /** Job class (Sidekiq) or job name (BullMQ); defaults to a generic simulated job. */
  className?: string;
}

export interface RunnerSpec {
  /** The dyno's name, e.g. "worker.2" (Heroku sets it as $DYNO, which Sidekiq uses as hostname). */
  dynoName: string;
  concurrency: number;
  queues: string[];
  events: JobEvents;
}

/** What a runner reports to its dyno and to the app's counters. */
export interface JobEvents {
  jobStarted(): void;
  jobCompleted(): void;
  jobFailed(): void;
  /** The runner has no job in progress any more and takes no new ones (a stopping dyno exits). */
  idle(): Promise<void>;
}

export interface JobRunner {
  /** Boot finished: register with the job library and begin taking jobs. */
  start(): Promise<void>;
  /**
   * Takes jobs until every slot is busy or the queues are empty; resolves true when it found
   * the queues empty. Backends whose library fetches on its own resolve false at once.
   */
  fill(): Promise<boolean>;
  /** SIGTERM: take no new jobs; jobs in progress keep running. */
  quiet(): Promise<void>;
  /** Jobs in progress. */
  busy(): number;
  /** End of the grace period: jobs still running are killed and put back; returns how many. */
  kill(): Promise<number>;
  /** The process exits: deregister and release resources. */
  exit(): Promise<void>;
}
