import type { Redis } from "ioredis";
import type { RecordWriter } from "@/lib/checks/record-writer";

/** What check jobs share within one worker process: its Redis connection and record writer. */
export interface CheckRuntime {
  redis: Redis;
  writer: RecordWriter;
}

let runtime: CheckRuntime | null = null;

export function setCheckRuntime(value: CheckRuntime | null): void {
  runtime = value;
}

export function checkRuntime(): CheckRuntime {
  if (!runtime) throw new Error("Check jobs run only inside a started worker (worker/start.ts)");
  return runtime;
}
