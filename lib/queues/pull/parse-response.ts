import { z } from "zod";
import { INT4_MAX, boundedCount, boundedMs, plainName } from "@/lib/queues/bounded";
import { ProbeError } from "@/lib/queues/errors";
import type { HttpSourceOptions, QueueProbe } from "@/lib/queues/schema";
import type { BackendReading } from "@/lib/queues/summarize";

/**
 * HireFire's worker info format: `[{"name":"worker","value":12}]`, one entry per process
 * type. hirefire-resource 1.x writes `value`; 0.x wrote `quantity`. The number is whatever
 * the app's HireFire macro measured, job_queue_size (jobs) or job_queue_latency (seconds),
 * and the JSON does not say which, so the source configuration does.
 */
const hirefireValue = z.number().min(0).max(INT4_MAX, "is larger than Ebbflow can record").nullable().optional();
const hirefireEntry = z.object({
  name: plainName(256),
  value: hirefireValue,
  quantity: hirefireValue,
});
const hirefireList = z.array(hirefireEntry);

export function parseHirefire(json: unknown, options: HttpSourceOptions): BackendReading {
  const parsed = hirefireList.safeParse(json);
  if (!parsed.success) {
    throw new ProbeError(
      "bad_response",
      'The endpoint did not answer in HireFire\'s format, a JSON list like [{"name":"worker","value":12}].',
    );
  }
  const entry = parsed.data.find((candidate) => candidate.name === options.processType);
  if (!entry) {
    const names = parsed.data.map((candidate) => candidate.name).join(", ") || "none";
    throw new ProbeError(
      "bad_response",
      `The endpoint lists no "${options.processType}" entry (it lists: ${names}). Set the process type to one of those.`,
    );
  }
  const value = entry.value ?? entry.quantity;
  if (value === null || value === undefined) {
    throw new ProbeError("bad_response", `The "${options.processType}" entry has no value.`);
  }
  // Latency arrives in seconds and is kept in ms, which must fit an integer column.
  if (options.hirefireMetric === "latency" && value * 1000 > INT4_MAX) {
    throw new ProbeError("bad_response", `The "${options.processType}" latency is larger than Ebbflow can record.`);
  }
  const queue: QueueProbe =
    options.hirefireMetric === "latency"
      ? { name: options.processType, depth: 0, latencyMs: Math.round(value * 1000), busy: null }
      : { name: options.processType, depth: Math.round(value), latencyMs: null, busy: null };
  const warnings =
    options.hirefireMetric === "latency" ? ["The endpoint reports latency only; depth is not known and shows as 0."] : [];
  return { queues: [queue], busy: null, scheduled: null, retries: null, due: null, warnings };
}

/** Ebbflow's own format: the probe result's shape, of which only the queues are required. */
const knownCount = boundedCount.nullable().optional();
const ebbflowReport = z.object({
  queues: z
    .array(
      z.object({
        name: plainName(256),
        depth: boundedCount,
        latencyMs: boundedMs.nullable().optional(),
        busy: knownCount,
        scheduled: knownCount,
        retries: knownCount,
        paused: z.boolean().optional(),
      }),
    )
    .max(200),
  busy: knownCount,
  scheduled: knownCount,
  retries: knownCount,
  due: knownCount,
});

export function parseEbbflowReport(json: unknown): BackendReading {
  const parsed = ebbflowReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new ProbeError("bad_response", `The endpoint's JSON is not an Ebbflow report (${where}${issue?.message ?? "invalid"}).`);
  }
  const report = parsed.data;
  return {
    queues: report.queues.map((queue) => ({
      name: queue.name,
      depth: queue.depth,
      latencyMs: queue.latencyMs ?? null,
      busy: queue.busy ?? null,
      ...(queue.scheduled !== undefined ? { scheduled: queue.scheduled } : {}),
      ...(queue.retries !== undefined ? { retries: queue.retries } : {}),
      ...(queue.paused ? { paused: true } : {}),
    })),
    ...(report.busy !== undefined ? { busy: report.busy } : {}),
    scheduled: report.scheduled ?? null,
    retries: report.retries ?? null,
    due: report.due ?? null,
  };
}
