import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";

/** Dyno sizes the benchmark can bill (see prices.ts). */
export const dynoSizeSchema = z.enum(["eco", "basic", "standard-1x", "standard-2x", "performance-m", "performance-l"]);
export type DynoSize = z.infer<typeof dynoSizeSchema>;

/** The optional first line of a trace file. */
export const traceHeaderSchema = z.object({
  name: z.string().min(1).max(80),
  dyno: z
    .object({
      size: dynoSizeSchema.default("standard-1x"),
      concurrency: z.number().int().min(1).max(1000).default(10),
      boot_seconds: z.number().min(0).max(600).default(30),
    })
    .prefault({}),
  /** Extension: seconds the trace covers (billing runs that long); default: last arrival, whole days. */
  horizon_seconds: z.number().positive().optional(),
  /** Extension: wall-clock instant of t = 0, for weekdays and schedules; default 2024-03-04 (a Monday). */
  start: z.iso.datetime().optional(),
  /** Extension: a sentence about the workload, printed with its table. */
  description: z.string().max(400).optional(),
});
export type TraceHeader = z.output<typeof traceHeaderSchema>;

/** One job: arrives at t seconds, waits in `queue`, runs `duration` seconds. */
export const traceJobSchema = z.object({
  t: z.number().min(0),
  queue: z.string().min(1).max(80),
  duration: z.number().min(0),
});

/** A trace in columns: the simulator walks millions of these, so no object per job. */
export interface Trace {
  name: string;
  dynoSize: DynoSize;
  concurrency: number;
  bootSeconds: number;
  horizonSeconds: number;
  startMs: number;
  description: string | null;
  queues: string[];
  arrival: Float64Array;
  duration: Float64Array;
  queueIndex: Uint16Array;
  /**
   * Optional strict priority per queue (same order as `queues`, higher first), as Sidekiq's
   * strict queue ordering fetches. Absent: the oldest ready job goes first, whatever its queue.
   */
  queuePriority?: readonly number[];
}

const defaultStart = "2024-03-04T00:00:00Z";
const day = 86_400;

/** Parses a trace file's text; throws with the line number of the first bad line. */
export function parseTrace(text: string, fallbackName: string): Trace {
  const lines = text.split("\n").filter((line) => line.trim().length > 0);
  let header: TraceHeader = traceHeaderSchema.parse({ name: fallbackName });
  let first = 0;
  const firstLine = lines[0];
  if (firstLine !== undefined) {
    const raw: unknown = JSON.parse(firstLine);
    if (typeof raw === "object" && raw !== null && "name" in raw && !("t" in raw)) {
      header = traceHeaderSchema.parse(raw);
      first = 1;
    }
  }
  const count = lines.length - first;
  const arrival = new Float64Array(count);
  const duration = new Float64Array(count);
  const queueIndex = new Uint16Array(count);
  const queues: string[] = [];
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const parsed = traceJobSchema.safeParse(JSON.parse(lines[first + i] ?? "null"));
    if (!parsed.success) throw new Error(`trace line ${first + i + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    const job = parsed.data;
    if (job.t < previous) throw new Error(`trace line ${first + i + 1}: not sorted by t`);
    previous = job.t;
    let q = queues.indexOf(job.queue);
    if (q < 0) {
      q = queues.length;
      queues.push(job.queue);
    }
    arrival[i] = job.t;
    duration[i] = job.duration;
    queueIndex[i] = q;
  }
  const lastArrival = count > 0 ? (arrival[count - 1] ?? 0) : 0;
  return {
    name: header.name,
    dynoSize: header.dyno.size,
    concurrency: header.dyno.concurrency,
    bootSeconds: header.dyno.boot_seconds,
    horizonSeconds: header.horizon_seconds ?? Math.max(day, Math.ceil(lastArrival / day) * day),
    startMs: Date.parse(header.start ?? defaultStart),
    description: header.description ?? null,
    queues: queues.length > 0 ? queues : ["default"],
    arrival,
    duration,
    queueIndex,
  };
}

export function readTrace(path: string): Trace {
  return parseTrace(readFileSync(path, "utf8"), basename(path).replace(/\.jsonl$/, ""));
}
