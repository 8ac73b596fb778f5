import { describe, expect, it } from "vitest";
import { ManualClock } from "@/sim/clock";
import { runLoad } from "@/sim/load/load-generator";
import { parseTrace } from "@/sim/load/trace";

describe("parseTrace", () => {
  it("reads an optional header and jobs, defaulting the queue and sorting by time", () => {
    const trace = parseTrace(
      [
        '{"name": "monday", "dyno": {"size": "standard-2x", "concurrency": 5, "boot_seconds": 45}}',
        '{"t": 3, "queue": "mail", "duration": 1}',
        "",
        '{"t": 1.5, "duration": 2.5}',
      ].join("\n"),
    );
    expect(trace.header).toEqual({ name: "monday", dyno: { size: "standard-2x", concurrency: 5, boot_seconds: 45 } });
    expect(trace.jobs).toEqual([
      { t: 1.5, queue: "default", duration: 2.5 },
      { t: 3, queue: "mail", duration: 1 },
    ]);
  });

  it("names the line of a bad job", () => {
    expect(() => parseTrace('{"t": 1, "duration": 1}\n{"t": -2, "duration": 1}')).toThrow(/line 2/);
    expect(() => parseTrace('{"t": 1, "duration": 1}\nnot json')).toThrow(/line 2: not JSON/);
  });
});

describe("runLoad", () => {
  it("enqueues each job when the sim clock reaches its time", async () => {
    const clock = new ManualClock({ startMs: 0 });
    const enqueued: number[] = [];
    const run = runLoad({
      clock,
      jobs: parseTrace('{"t": 0, "duration": 1}\n{"t": 5, "duration": 1}\n{"t": 5, "duration": 2}\n{"t": 60, "duration": 1}').jobs,
      enqueue: async (job) => {
        enqueued.push(clock.now());
        return job;
      },
    });
    await clock.advanceSeconds(0);
    expect(enqueued).toEqual([0]);
    await clock.advanceSeconds(10);
    expect(enqueued).toEqual([0, 5_000, 5_000]);
    await clock.advanceSeconds(50);
    await run.done;
    expect(run.enqueued()).toBe(4);
    expect(run.lastJobSeconds).toBe(60);
  });
});
