import { z } from "zod";
import { planOrHobby } from "@/lib/billing/plans";
import { db } from "@/lib/db/client";
import { bucketSecondsFor } from "@/lib/dashboard/chart-ranges";
import { dynoSeconds, replayDecisions, type RecordedSample, type ReplayChange } from "@/lib/dashboard/replay-decisions";
import { processRuleSchema, type ProcessRule } from "@/lib/scaling/rules";

/** The preview replays this much recorded history. */
export const PREVIEW_WINDOW_SECONDS = 24 * 3600;

/** Most samples read for a preview: a day of 2 s checks, with room. */
const MAX_PREVIEW_SAMPLES = 50_000;

export const previewRequestSchema = z.object({ rule: processRuleSchema });

/** What the preview draws: per bucket the deepest recorded queue, the most dynos recorded and the most the new rule would have run. */
export interface RulePreview {
  fromMs: number;
  toMs: number;
  bucketSeconds: number;
  samples: number;
  bucket: number[];
  depth: number[];
  recordedDynos: (number | null)[];
  previewDynos: number[];
  recordedDynoHours: number;
  previewDynoHours: number;
  recordedChanges: number;
  previewChanges: number;
  /** The last few changes the new rule would have made, newest first. */
  lastChanges: ReplayChange[];
}

/**
 * The window's recorded samples, oldest first: each check's own sample is kept two hours, then
 * folded into a per-minute row (the worst of the minute), so the window reads per-minute rows
 * up to the oldest raw sample and raw samples after it.
 */
async function loadRecentSamples(tenantId: string, processType: string, fromMs: number, toMs: number): Promise<RecordedSample[]> {
  const select = { sampledAt: true, depth: true, latencyMs: true, busy: true, dynos: true, requestsPerMinute: true, queueTimeP50Ms: true, queueTimeP95Ms: true, queueTimeP99Ms: true } as const;
  const where = { tenantId, processType, sampledAt: { gte: new Date(fromMs), lte: new Date(toMs) } };
  const raw = await db.metricSample.findMany({ where: { ...where, resolution: "raw" }, select, orderBy: { sampledAt: "asc" }, take: MAX_PREVIEW_SAMPLES });
  const oldestRaw = raw[0]?.sampledAt ?? new Date(toMs + 1);
  const minutes = await db.metricSample.findMany({
    where: { tenantId, processType, resolution: "minute", sampledAt: { gte: new Date(fromMs), lt: oldestRaw } },
    select,
    orderBy: { sampledAt: "asc" },
    take: MAX_PREVIEW_SAMPLES,
  });
  type Row = (typeof raw)[number];
  const toSample = (row: Row, stepSeconds?: number): RecordedSample => ({
    atMs: row.sampledAt.getTime(),
    depth: row.depth,
    latencyMs: row.latencyMs,
    busy: row.busy,
    dynos: row.dynos,
    requestsPerMinute: row.requestsPerMinute,
    queueTimeMs: row.queueTimeP50Ms !== null && row.queueTimeP95Ms !== null && row.queueTimeP99Ms !== null ? { p50: row.queueTimeP50Ms, p95: row.queueTimeP95Ms, p99: row.queueTimeP99Ms } : null,
    ...(stepSeconds === undefined ? {} : { stepSeconds }),
  });
  return [...minutes.map((row) => toSample(row, 60)), ...raw.map((row) => toSample(row))];
}

function countChanges(values: readonly (number | null)[]): number {
  let changes = 0;
  for (let i = 1; i < values.length; i += 1) if (values[i] !== null && values[i - 1] !== null && values[i] !== values[i - 1]) changes += 1;
  return changes;
}

/**
 * Replays the last 24 h of an app's recorded samples for one process type through the
 * production `decide` with `rule`, and rolls both the recorded and the replayed formation up
 * into at most 300 buckets for the chart.
 */
export async function previewRule(tenantId: string, rule: ProcessRule, now: Date = new Date()): Promise<RulePreview> {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true } });
  const intervalSeconds = planOrHobby(tenant.plan).checkIntervalSeconds;
  const toMs = now.getTime();
  const fromMs = toMs - PREVIEW_WINDOW_SECONDS * 1000;
  const samples = await loadRecentSamples(tenantId, rule.processType, fromMs, toMs);
  const replay = replayDecisions(rule, samples, intervalSeconds);

  const bucketSeconds = bucketSecondsFor(PREVIEW_WINDOW_SECONDS);
  const firstBucket = Math.floor(fromMs / 1000 / bucketSeconds);
  const preview: RulePreview = {
    fromMs: firstBucket * bucketSeconds * 1000,
    toMs,
    bucketSeconds,
    samples: samples.length,
    bucket: [],
    depth: [],
    recordedDynos: [],
    previewDynos: [],
    recordedDynoHours: 0,
    previewDynoHours: 0,
    recordedChanges: countChanges(samples.map((s) => s.dynos)),
    previewChanges: replay.changes.length,
    lastChanges: replay.changes.slice(-5).reverse(),
  };
  samples.forEach((sample, i) => {
    const bucket = Math.floor(sample.atMs / 1000 / bucketSeconds) - firstBucket;
    const last = preview.bucket.length - 1;
    const quantity = replay.quantities[i] ?? 0;
    if (preview.bucket[last] !== bucket) {
      preview.bucket.push(bucket);
      preview.depth.push(sample.depth);
      preview.recordedDynos.push(sample.dynos);
      preview.previewDynos.push(quantity);
      return;
    }
    preview.depth[last] = Math.max(preview.depth[last] ?? 0, sample.depth);
    // Peaks, not the last value: a five-minute burst must show in a five-minute bucket.
    if (sample.dynos !== null) preview.recordedDynos[last] = Math.max(preview.recordedDynos[last] ?? 0, sample.dynos);
    preview.previewDynos[last] = Math.max(preview.previewDynos[last] ?? 0, quantity);
  });
  const atMs = samples.map((s) => s.atMs);
  preview.recordedDynoHours = dynoSeconds(atMs, samples.map((s) => s.dynos), intervalSeconds * 1000) / 3600;
  preview.previewDynoHours = dynoSeconds(atMs, replay.quantities, intervalSeconds * 1000) / 3600;
  return preview;
}
