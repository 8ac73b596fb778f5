import { z } from "zod";
import { planOrHobby } from "@/lib/billing/plans";
import { dynoSizeNames } from "@/lib/dashboard/save-process-rule";
import { db } from "@/lib/db/client";
import { processRuleSchema, type ProcessRule } from "@/lib/scaling/rules";
import { proposeRule, type Proposal } from "@/lib/tuning/propose";
import { buildWorkload, estimateArrivals, estimateJobSeconds, usableRows, type HistoryRow, type JobTimeEstimate } from "@/lib/tuning/workload";

/** Tuning reads this much history. */
export const TUNE_WINDOW_SECONDS = 7 * 86_400;
/** Most rows read: 7 days of 10 s checks, with room. Past it, the newest are kept. */
export const MAX_TUNE_ROWS = 70_000;
/**
 * Most simulated steps: 7 days at 30 s. A longer history at a finer check interval is
 * resampled to coarser steps (arrivals summed into them), which keeps 37 candidates under
 * about 2 s (bench/tuning.ts).
 */
export const MAX_SIMULATED_STEPS = 20_160;
/** The finest simulated step: a check every 10 s is as fine as waits of seconds need. */
const MIN_STEP_SECONDS = 10;
/** The request cap: a rule with 50 schedule windows is a few kilobytes. */
export const TUNE_MAX_BODY_BYTES = 64 * 1024;

/**
 * What the tune button sends: the rule as the form has it (parsed with the engine's schema) and
 * the dyno size picked beside the form, which prices the prediction (as on save).
 */
export const tuneRequestSchema = z.preprocess(
  (body) => {
    const shape = z.looseObject({ dynoSize: z.string().nullable(), rule: z.record(z.string(), z.unknown()) }).safeParse(body);
    return shape.success ? { ...shape.data, rule: { ...shape.data.rule, dynoSize: shape.data.dynoSize } } : body;
  },
  z.object({
    dynoSize: z
      .string()
      .refine((size) => dynoSizeNames.includes(size), "a Heroku dyno size such as standard-1x")
      .nullable()
      .default(null),
    rule: processRuleSchema.refine((rule) => rule.kind === "queue", {
      message: "tuning from history is for job-queue process types; web rules scale on request queue time",
      path: ["kind"],
    }),
  }),
);

export type TuneRequest = z.output<typeof tuneRequestSchema>;

/** How much history there was, by resolution. */
export interface TuneHistory {
  /** Rows simulated: raw checks and per-minute roll-ups. */
  samples: number;
  rawSamples: number;
  minuteSamples: number;
  /** Hourly roll-ups in the window: counted, not simulated (see lib/tuning/workload.ts). */
  hourSamples: number;
  /** Hours of history the simulation covered (gaps left out). */
  coveredHours: number;
  fromMs: number | null;
  toMs: number | null;
  stepSeconds: number;
  jobTime: JobTimeEstimate;
  /** Jobs estimated to have arrived over the covered history. */
  jobs: number;
  /** True when more rows existed than are read (the newest were kept). */
  truncated: boolean;
}

export interface TuneResult {
  processType: string;
  history: TuneHistory;
  /** Null when there was no usable history to simulate. */
  proposal: Proposal | null;
  /** What to tell the customer when there is no proposal. */
  message: string | null;
  elapsedMs: number;
}

/** The simulated step for a span of history: the check interval, coarser when the span is long. */
export function stepSecondsFor(spanSeconds: number, checkIntervalSeconds: number): number {
  const finest = Math.max(MIN_STEP_SECONDS, checkIntervalSeconds);
  const needed = Math.ceil(spanSeconds / MAX_SIMULATED_STEPS / 10) * 10;
  return Math.max(finest, needed);
}

async function loadHistory(tenantId: string, processType: string, fromMs: number, toMs: number): Promise<{ rows: HistoryRow[]; hourSamples: number; truncated: boolean }> {
  const where = { tenantId, processType, sampledAt: { gte: new Date(fromMs), lte: new Date(toMs) } };
  const [found, hourSamples] = await Promise.all([
    db.metricSample.findMany({
      where: { ...where, resolution: { in: ["raw", "minute"] } },
      select: { sampledAt: true, resolution: true, depth: true, busy: true, dynos: true },
      orderBy: { sampledAt: "desc" },
      take: MAX_TUNE_ROWS + 1,
    }),
    db.metricSample.count({ where: { ...where, resolution: "hour" } }),
  ]);
  const truncated = found.length > MAX_TUNE_ROWS;
  const rows = found
    .slice(0, MAX_TUNE_ROWS)
    .reverse()
    .map((row) => ({ atMs: row.sampledAt.getTime(), resolution: row.resolution, depth: row.depth, busy: row.busy, dynos: row.dynos }));
  return { rows, hourSamples, truncated };
}

/**
 * Builds the workload of the process type's last 7 days of samples and proposes the cheapest
 * candidate rule whose predicted p95 wait meets the wait target (lib/tuning/propose.ts). Reads
 * only the tenant's own rows. No usable samples: no proposal, and a message saying why.
 */
export async function tuneFromHistory(tenantId: string, request: TuneRequest, now: Date = new Date()): Promise<TuneResult> {
  const began = performance.now();
  const rule: ProcessRule = { ...request.rule, dynoSize: request.dynoSize };
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true } });
  const checkIntervalSeconds = planOrHobby(tenant.plan).checkIntervalSeconds;
  const toMs = now.getTime();
  const { rows, hourSamples, truncated } = await loadHistory(tenantId, rule.processType, toMs - TUNE_WINDOW_SECONDS * 1000, toMs);
  const usable = usableRows(rows);
  const jobTime: JobTimeEstimate = rule.jobSeconds !== null && rule.jobSeconds > 0 ? { seconds: rule.jobSeconds, source: "rule", intervals: 0 } : estimateJobSeconds(usable, checkIntervalSeconds);
  const segments = estimateArrivals(usable, { checkIntervalSeconds, jobSeconds: jobTime.seconds, concurrencyPerDyno: rule.concurrencyPerDyno });
  const fromMsSeen = segments[0]?.startMs ?? null;
  const toMsSeen = segments[segments.length - 1]?.endMs ?? null;
  const stepSeconds = stepSecondsFor(fromMsSeen !== null && toMsSeen !== null ? (toMsSeen - fromMsSeen) / 1000 : 0, checkIntervalSeconds);
  const workload = buildWorkload(segments, { stepSeconds, jobSeconds: jobTime.seconds, initialDynos: usable.find((r) => r.dynos !== null)?.dynos ?? rule.minQuantity });
  const history: TuneHistory = {
    samples: usable.length,
    rawSamples: usable.filter((r) => r.resolution === "raw").length,
    minuteSamples: usable.filter((r) => r.resolution === "minute").length,
    hourSamples,
    coveredHours: (workload.stepStartMs.length * stepSeconds) / 3600,
    fromMs: fromMsSeen,
    toMs: toMsSeen,
    stepSeconds,
    jobTime,
    jobs: workload.arrivals.reduce((sum, a) => sum + a, 0),
    truncated,
  };
  if (workload.stepStartMs.length === 0) {
    const message =
      hourSamples > 0
        ? `Only hourly roll-ups of ${rule.processType} are left from the last 7 days: an hour's maxima cannot say how work arrived, so there is nothing to simulate yet. Per-check samples are kept 2 hours and per-minute roll-ups 2 days.`
        : `No recorded checks of ${rule.processType} in the last 7 days: tuning needs its queue's history. Connect its queues on the Sources page and come back once checks have run.`;
    return { processType: rule.processType, history, proposal: null, message, elapsedMs: performance.now() - began };
  }
  const proposal = proposeRule(rule, workload);
  return { processType: rule.processType, history, proposal, message: null, elapsedMs: performance.now() - began };
}
