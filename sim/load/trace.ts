import { readFile } from "node:fs/promises";
import { z } from "zod";

/**
 * Job traces (JSON lines, one job a line, sorted by time): `{"t": 12.5, "queue": "default",
 * "duration": 3.2}`, t and duration in seconds from the start, optionally preceded by a header
 * `{"name": "...", "dyno": {"size": "standard-1x", "concurrency": 10, "boot_seconds": 30}}`.
 */

export const traceJobSchema = z.object({
  t: z.number().min(0),
  queue: z.string().min(1).default("default"),
  duration: z.number().min(0),
});

export const traceHeaderSchema = z.looseObject({
  name: z.string().min(1).optional(),
  dyno: z
    .object({
      size: z.string().min(1).optional(),
      concurrency: z.number().int().min(1).optional(),
      boot_seconds: z.number().min(0).optional(),
    })
    .optional(),
});

export type TraceJob = z.infer<typeof traceJobSchema>;
export type TraceHeader = z.infer<typeof traceHeaderSchema>;

export interface Trace {
  header: TraceHeader | null;
  jobs: TraceJob[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a trace; throws with the line number of the first bad line. */
export function parseTrace(text: string): Trace {
  let header: TraceHeader | null = null;
  const jobs: TraceJob[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`trace line ${index + 1}: not JSON`);
    }
    if (isObject(value) && !("t" in value) && jobs.length === 0 && header === null) {
      const parsedHeader = traceHeaderSchema.safeParse(value);
      if (!parsedHeader.success) throw new Error(`trace line ${index + 1}: bad header: ${z.prettifyError(parsedHeader.error)}`);
      header = parsedHeader.data;
      return;
    }
    const job = traceJobSchema.safeParse(value);
    if (!job.success) throw new Error(`trace line ${index + 1}: ${z.prettifyError(job.error)}`);
    jobs.push(job.data);
  });
  // Traces should be sorted; a stable sort keeps equal times in file order if one is not.
  jobs.sort((a, b) => a.t - b.t);
  return { header, jobs };
}

export async function readTrace(path: string): Promise<Trace> {
  return parseTrace(await readFile(path, "utf8"));
}
