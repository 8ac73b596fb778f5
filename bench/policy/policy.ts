/** What a policy sees at one check: the state `reportingDelaySeconds` ago, with probe noise. */
export interface Observation {
  /** Virtual time (seconds from the trace start) the probe read the queues. */
  sampledAtSeconds: number;
  /** The formation quantity now, as the policy knows it (it set it). */
  quantity: number;
  queues: readonly { name: string; depth: number; latencySeconds: number | null; busy: number }[];
  /** Ready jobs over all queues. */
  depth: number;
  /** Oldest ready job's age over all queues; null when every queue is empty. */
  latencySeconds: number | null;
  /** Running jobs. */
  busy: number;
  /** Highest dyno number with a running job; 0 when none. */
  highestBusyDyno: number;
  /** Dynos booted and taking jobs now (an in-process loop runs only on these). */
  upDynos: number;
  /**
   * Formation dynos by number (worker.1 is 1) with what the queue store would say of their
   * workers: quiet (no longer fetching) and busy. Booting dynos have no worker yet: absent.
   */
  dynos: readonly { dyno: number; quiet: boolean; busy: number }[];
  /** One-off dynos starting or up. */
  oneOffRunning: number;
}

/** Besides a quantity, what a policy may ask of the platform at one check. */
export interface SimActions {
  /** The formation quantity to set, or null to leave it. */
  quantity: number | null;
  /** Formation dynos (by number) to tell to stop fetching (Sidekiq's TSTP). */
  quiet?: readonly number[];
  /** Formation dynos (by number) to restart (`DELETE /apps/{app}/dynos/{dyno}`). */
  restart?: readonly number[];
  /** One-off dynos to start (`POST /apps/{app}/dynos`), each exiting when the queue is empty. */
  startOneOff?: number;
}

/** The knobs a policy runs with, printed beside its row so anyone can check them. */
export type Knobs = Readonly<Record<string, string | number | boolean>>;

/**
 * An autoscaling policy as the simulator drives it. Stateful: the simulator builds a fresh
 * one for each run. `check` returns the quantity to set, or null to leave the formation alone.
 */
export interface SimPolicy {
  readonly name: string;
  readonly knobs: Knobs;
  /** Seconds between checks; null for a fixed formation that never checks. */
  readonly checkIntervalSeconds: number | null;
  /** How old the metrics are when the policy reads them. */
  readonly reportingDelaySeconds: number;
  readonly initialQuantity: number;
  /** Heroku API reads per check (formation lookups), besides one call per formation update. */
  readonly apiReadsPerCheck: number;
  /**
   * `probeNow` reads the queues again at this instant (no reporting delay): a policy that
   * confirms downscales before acting, as Ebbflow's check does, calls it.
   */
  check(observation: Observation, nowSeconds: number, probeNow: () => Observation): number | null | SimActions;
  /** One-off dynos' time-to-live in seconds (Heroku stops them then, whatever they run). */
  readonly oneOffTimeToLiveSeconds?: number;

  /** Called on every enqueue with the formation quantity (the autoscaler gem's client hook). */
  onEnqueue?(quantity: number, nowSeconds: number): number | null;
  /**
   * Ebbflow's enqueue wake: when a job is pushed while the formation is at zero, the app's
   * agent reports at once (at most once per `minGapSeconds`) and Ebbflow checks then, instead
   * of at its next interval. The agent learns the formation is at zero from Ebbflow's answer
   * to a report, so a wake can come only `knownAfterSeconds` after it went to zero; the check
   * reads the queues `latencySeconds` after the push.
   */
  readonly wakeOnEnqueue?: { latencySeconds: number; minGapSeconds: number; knownAfterSeconds: number };
  /**
   * The agent reports at once when it quiets: when the dyno is idle then, Ebbflow checks
   * `latencySeconds` later (and drops it). A quiet dyno whose last job ends later waits for the
   * regular check, as before.
   */
  readonly checkOnQuietIdle?: { latencySeconds: number };
}
