import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTrace } from "@/bench/policy/trace";
import { buildWorkloads, defaultTraceSeed, toJsonLines, workloadNames } from "@/bench/policy/workloads";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("shipped traces", () => {
  it("are exactly what the seeded generator writes", () => {
    const workloads = buildWorkloads(defaultTraceSeed);
    expect(workloads.map((w) => w.name)).toEqual([...workloadNames]);
    for (const workload of workloads) {
      const shipped = readFileSync(join("bench", "traces", `${workload.name}.jsonl`), "utf8");
      expect(sha256(toJsonLines(workload)), `${workload.name}.jsonl differs from the generator: run npm run bench:traces`).toBe(sha256(shipped));
    }
  });

  it("stay small enough to commit", () => {
    for (const name of workloadNames) {
      expect(readFileSync(join("bench", "traces", `${name}.jsonl`)).length).toBeLessThan(4_000_000);
    }
  });

  it("differ with another seed", () => {
    const [a] = buildWorkloads(1);
    const [b] = buildWorkloads(2);
    expect(a && toJsonLines(a)).not.toBe(b && toJsonLines(b));
  });
});

describe("parseTrace", () => {
  it("reads the header and the jobs into columns", () => {
    const text = [
      JSON.stringify({ name: "tiny", dyno: { size: "performance-m", concurrency: 3, boot_seconds: 45 } }),
      '{"t": 1.5, "queue": "default", "duration": 3.2}',
      '{"t": 2, "queue": "mailers", "duration": 1}',
      "",
    ].join("\n");
    const trace = parseTrace(text, "fallback");
    expect(trace).toMatchObject({ name: "tiny", dynoSize: "performance-m", concurrency: 3, bootSeconds: 45, queues: ["default", "mailers"], horizonSeconds: 86_400 });
    expect([...trace.arrival]).toEqual([1.5, 2]);
    expect([...trace.duration]).toEqual([3.2, 1]);
    expect([...trace.queueIndex]).toEqual([0, 1]);
    expect(trace.startMs).toBe(Date.parse("2024-03-04T00:00:00Z"));
  });

  it("takes defaults without a header", () => {
    const trace = parseTrace('{"t": 0, "queue": "q", "duration": 1}\n', "mine");
    expect(trace).toMatchObject({ name: "mine", dynoSize: "standard-1x", concurrency: 10, bootSeconds: 30 });
  });

  it("names the first bad line", () => {
    expect(() => parseTrace('{"t": 0, "queue": "q", "duration": 1}\n{"t": 1, "queue": "q"}\n', "x")).toThrow(/line 2/);
    expect(() => parseTrace('{"t": 5, "queue": "q", "duration": 1}\n{"t": 1, "queue": "q", "duration": 1}\n', "x")).toThrow(/line 2: not sorted/);
    expect(() => parseTrace('{"name": "x", "dyno": {"size": "huge"}}\n', "x")).toThrow();
  });
});
