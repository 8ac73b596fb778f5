import { z } from "zod";
import { plainName } from "@/lib/queues/bounded";
import { maxDynosPerProcessType, processTypeLimitPhrase } from "@/lib/scaling/heroku-limits";
import { scheduleWindowSchema } from "@/lib/scaling/schedule-window";

/**
 * The rules for one process type, as a customer sets them in the dashboard.
 *
 * Every field has a default, so a customer who sets only `minQuantity` and `maxQuantity` (and
 * says how many jobs one dyno runs at once) gets the behaviour the policy benchmark measured
 * (bench/policy/RESULTS.md): both metrics, a slot for every waiting job at once, a downscale
 * delay of a boot and a check, busy-aware downscale, zero after 30 s idle, keep-warm and growth
 * pre-warming where they pay against the wait target (lib/scaling/keep-warm.ts, wait-target.ts).
 * The dashboard parses its form
 * with this same schema, so a form default and an engine default can never differ.
 */
export const processRuleSchema = z
  .object({
    /** Procfile process type, e.g. `worker`. */
    processType: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "a Procfile process type: letters, digits, - and _"),
    /**
     * What sizes the formation: `queue` (job queues: depth and latency, everything below) or
     * `web` (request queue time from the agents' web middleware: the `web` knobs, min, max,
     * concurrency, dry run and pause). The Procfile's `web` type defaults to `web`.
     */
    kind: z.enum(["queue", "web"]).default("queue"),
    /** Web rules (`kind: "web"`): see `decideWeb` in lib/scaling/web-decide.ts. */
    web: z
      .object({
        /** The request queue-time percentile compared with the thresholds. */
        percentile: z.enum(["p95", "p90"]).default("p95"),
        /** Agents' reports that closed within this many seconds are combined into one percentile. */
        windowSeconds: z.number().int().min(10).max(600).default(60),
        /** Percentile above this: add dynos, in proportion to how far above. */
        upscaleThresholdMs: z.number().positive().max(60_000).default(100),
        /**
         * Percentile below this: remove one dyno after the cooldown; between the two, hold. Half
         * the upscale threshold by default: an agent's p95 of a quiet dyno's few requests is
         * nearly their maximum, so a much lower threshold is seldom reached and dynos stay.
         */
        downscaleThresholdMs: z.number().min(0).max(60_000).default(50),
        /** Most dynos added in one decision. */
        maxStep: z.number().int().min(1).max(100).default(5),
        /** No second upscale sooner than this (new dynos take a while to boot). */
        upscaleCooldownSeconds: z.number().min(0).max(3600).default(30),
        /**
         * No downscale sooner than this after the last change either way. Queue time stays near
         * zero until dynos are nearly full, so it cannot say how many could go: at 60 s a day of
         * the web benchmark changed the formation 987 times, stepping down until requests
         * queued; at 300 s, 306 times for 6 % more dyno-hours and a lower p99 (bench/README.md).
         */
        downscaleCooldownSeconds: z.number().min(0).max(3600).default(300),
        /** Share of the dynos' capacity the throughput floor plans for. */
        targetUtilisation: z.number().gt(0).max(1).default(0.7),
      })
      .prefault({}),
    /**
     * The process type's Heroku dyno size (`standard-1x`, `performance-m` …): what the billing
     * savings price it at, and for web rules, Heroku's per-type limit (Eco and Basic 1,
     * Performance 10). Null: Standard-1X, Heroku's default.
     */
    dynoSize: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, "a Heroku dyno size, e.g. standard-1x").nullable().default(null),
    /**
     * The p95 job wait this process type should stay under, in seconds: the knob to set first.
     * The engine spends dyno time only where it keeps waits under it (keep-warm, downscale
     * delay, pre-warming weigh the dyno's price against the wait they save). Null: derived from
     * `jobSeconds` (see `waitTargetOf` in lib/scaling/wait-target.ts).
     */
    waitTargetSeconds: z.number().min(1).max(86_400).nullable().default(null),
    /**
     * How long a typical (median) job of these queues runs, in seconds; null when unknown. The
     * default wait target is derived from it: a user notices half a minute on jobs of seconds,
     * not on jobs of an hour.
     */
    jobSeconds: z.number().min(0).max(86_400).nullable().default(null),
    /** Queues whose jobs this process type works; empty means every queue the probe reports. */
    queues: z.array(plainName(256)).default([]),
    /** Never fewer dynos than this (a schedule window may override it). 0 allows scale to zero. */
    minQuantity: z.number().int().min(0).max(100).default(0),
    /** Never more dynos than this (a schedule window may override it). */
    maxQuantity: z.number().int().min(0).max(100).default(1),
    /** Jobs one dyno runs at once (Sidekiq threads, BullMQ concurrency...); sizes busy-aware downscale. */
    concurrencyPerDyno: z.number().int().min(1).max(1000).default(1),
    /** Seconds a new dyno takes to start taking jobs; how far ahead pre-warming looks. */
    bootSeconds: z.number().min(0).max(600).default(30),
    /** Which metric sizes the formation; with `both` the larger answer wins. */
    metric: z.enum(["depth", "latency", "both"]).default("both"),
    /**
     * Waiting jobs one dyno should absorb. Null means `concurrencyPerDyno`: a real backlog gets
     * a slot for every waiting job at once (dynos are billed by the second, so running the
     * backlog in parallel costs about what running it in series does, and waits far less).
     */
    jobsPerDyno: z.number().positive().nullable().default(null),
    /** Oldest ready job older than this: add dynos. */
    upscaleLatencySeconds: z.number().positive().default(10),
    /** Oldest ready job younger than this (or an empty queue): dynos may be removed. */
    downscaleLatencySeconds: z.number().min(0).default(2),
    upscale: z
      .object({
        /** `jump`: straight to the needed quantity; `step`: at most `maxStep` dynos a decision. */
        mode: z.enum(["jump", "step"]).default("jump"),
        maxStep: z.number().int().min(1).default(1),
        /** No second upscale sooner than this after the last one (lets new dynos boot first). */
        cooldownSeconds: z.number().min(0).default(0),
      })
      .prefault({}),
    downscale: z
      .object({
        /**
         * Stabilization: downscale only to the largest quantity wanted during the last this-many
         * seconds, so a queue that empties for a moment does not cost a boot a minute later.
         * Null: the boot time plus one check, what a dyno stopped too soon costs to bring back
         * (see `downscaleDelayOf`).
         */
        delaySeconds: z.number().min(0).max(86_400).nullable().default(null),
        /** At most this many dynos removed a decision; null removes all unneeded at once. */
        maxStep: z.number().int().min(1).nullable().default(null),
        /**
         * Never below the dynos still working: the highest busy dyno when the probe can tell,
         * else busy workers ÷ concurrency. Heroku stops the highest-numbered dynos first.
         */
        busyAware: z.boolean().default(true),
        /**
         * Busy-aware when the probe cannot say which dynos run jobs: `drain` removes no dyno
         * while any job runs (any dyno may hold one, and Heroku picks the highest-numbered);
         * `count` only keeps busy workers ÷ concurrency dynos, cheaper but it kills long jobs.
         */
        whenBusyDynosUnknown: z.enum(["drain", "count"]).default("drain"),
      })
      .prefault({}),
    scaleToZero: z
      .object({
        /** With minQuantity 0: go to zero only after this long with no job queued or running. */
        idleSeconds: z.number().min(0).default(30),
        /**
         * Keep-warm: when work has started from idle at least this many times in the last hour,
         * the next job is probably minutes away, and one warm dyno spares it the boot. 0: never.
         */
        keepWarmAfterStarts: z.number().int().min(0).default(3),
        /** How long keep-warm holds the last dyno through idle time before scaling to zero. */
        keepWarmSeconds: z.number().min(0).default(900),
      })
      .prefault({}),
    prewarm: z
      .object({
        /** Project the queue's growth `bootSeconds` ahead and start dynos for that backlog now. */
        growth: z.boolean().default(true),
        /** Start dynos for the load seen at the same time last week (needs weekly history). */
        lastWeek: z.boolean().default(false),
      })
      .prefault({}),
    /** Time windows that override min and max; the first window that matches wins. */
    schedules: z.array(scheduleWindowSchema).max(50).default([]),
    /** What counts as work besides ready jobs. Off by default: neither can run yet. */
    count: z
      .object({
        scheduled: z.boolean().default(false),
        retries: z.boolean().default(false),
      })
      .prefault({}),
    fallback: z
      .object({
        /** Metrics older than this many check intervals are stale: hold, never downscale. */
        staleAfterIntervals: z.number().positive().default(3),
      })
      .prefault({}),
    /**
     * How dynos come and go. `formation`: Ebbflow sets the process type's quantity (and, where
     * the source may quiet dynos, quiets the ones about to go and waits until they are idle).
     * `one-off`: Ebbflow starts run-to-completion one-off dynos that exit when the queues are
     * empty, and never stops one.
     */
    mode: z.enum(["formation", "one-off"]).default("formation"),
    /**
     * Formation mode with quieting: how long quieted dynos may take to finish their jobs.
     * Past it the engine keeps holding (it never stops a busy dyno) and says so.
     */
    drainLimitSeconds: z.number().int().min(0).max(86_400).default(900),
    /** One-off mode: what each dyno runs, on which size, for at most how long. */
    oneOff: z
      .object({
        /** A command that exits when its queues are empty, e.g. `rq worker --burst`. */
        command: z.string().max(1000).default(""),
        size: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, "a Heroku dyno size, e.g. standard-1x").default("standard-1x"),
        /** Heroku stops the dyno after this long (at most 24 h), whatever it is doing. */
        timeToLiveSeconds: z.number().int().min(60).max(86_400).default(86_400),
      })
      .prefault({}),
    /** Decide and record, but do not change the formation. */
    dryRun: z.boolean().default(false),
    /** Hold the formation as it is; decisions say so. */
    paused: z.boolean().default(false),
  })
  .refine((rule) => rule.minQuantity <= rule.maxQuantity, {
    message: "minQuantity must not exceed maxQuantity",
    path: ["minQuantity"],
  })
  .refine((rule) => rule.downscaleLatencySeconds <= rule.upscaleLatencySeconds, {
    message: "the downscale latency threshold must not exceed the upscale threshold",
    path: ["downscaleLatencySeconds"],
  })
  .refine((rule) => rule.mode !== "one-off" || rule.oneOff.command.trim().length > 0, {
    message: "one-off mode needs a command that exits when its queues are empty",
    path: ["oneOff", "command"],
  })
  .superRefine((rule, context) => {
    if (rule.kind !== "web") return;
    const issue = (path: (string | number)[], message: string) => context.addIssue({ code: "custom", path, message });
    if (rule.minQuantity < 1) issue(["minQuantity"], "a web process type keeps at least one dyno: minQuantity must be 1 or more");
    if (rule.web.downscaleThresholdMs >= rule.web.upscaleThresholdMs) {
      issue(["web", "downscaleThresholdMs"], "the downscale queue-time threshold must be below the upscale threshold");
    }
    if (rule.mode !== "formation") issue(["mode"], "web dynos scale by formation: one-off dynos get no requests from the router");
    const limit = maxDynosPerProcessType(rule.dynoSize);
    if (rule.maxQuantity > limit) issue(["maxQuantity"], `at most ${limit}: ${processTypeLimitPhrase(rule.dynoSize) ?? "Heroku's limit"}`);
  });

/** A process type's rules with every default filled in: what `decide` reads. */
export type ProcessRule = z.output<typeof processRuleSchema>;
/** What a customer (or the dashboard form) may send: every field but `processType` optional. */
export type ProcessRuleInput = z.input<typeof processRuleSchema>;

/** All the rules of one app, plus the check interval its plan gives it. */
export const scalingRulesSchema = z.object({
  /** Seconds between checks (the plan's interval); staleness is measured in these. */
  checkIntervalSeconds: z.number().positive().max(3600),
  processTypes: z.array(processRuleSchema).max(100),
});

export type ScalingRules = z.output<typeof scalingRulesSchema>;
export type ScalingRulesInput = z.input<typeof scalingRulesSchema>;

/** Waiting jobs one dyno absorbs, with the default resolved. */
export function jobsPerDynoOf(rule: ProcessRule): number {
  return rule.jobsPerDyno ?? rule.concurrencyPerDyno;
}

/**
 * What a new process type starts from before the customer changes anything: the Procfile's
 * `web` type (the only one Heroku's router sends requests to) gets a web rule with one dyno.
 */
export function defaultRuleInput(processType: string): ProcessRuleInput {
  return processType === "web" ? { processType, kind: "web", minQuantity: 1, maxQuantity: 2 } : { processType };
}

/** Parses rules with defaults; throws a ZodError that names the bad field. */
export function parseProcessRule(input: ProcessRuleInput): ProcessRule {
  return processRuleSchema.parse(input);
}
