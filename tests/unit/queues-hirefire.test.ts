import { describe, expect, it } from "vitest";
import { ProbeError } from "@/lib/queues/errors";
import { parseEbbflowReport, parseHirefire } from "@/lib/queues/pull/parse-response";
import { httpSourceOptionsSchema } from "@/lib/queues/schema";

const options = (overrides: object = {}) => httpSourceOptionsSchema.parse(overrides);

describe("HireFire format", () => {
  it("reads the value of the configured process type as depth", () => {
    const reading = parseHirefire([{ name: "web", value: 1 }, { name: "worker", value: 12 }], options());
    expect(reading.queues).toEqual([{ name: "worker", depth: 12, latencyMs: null, busy: null }]);
  });

  it("reads hirefire-resource 0.x's quantity key", () => {
    expect(parseHirefire([{ name: "worker", quantity: 4 }], options()).queues[0]?.depth).toBe(4);
  });

  it("reads job_queue_latency seconds as milliseconds", () => {
    const reading = parseHirefire([{ name: "urgent", value: 1.25 }], options({ processType: "urgent", hirefireMetric: "latency" }));
    expect(reading.queues[0]).toMatchObject({ name: "urgent", latencyMs: 1250 });
  });

  it("names what is wrong", () => {
    expect(() => parseHirefire({ worker: 1 }, options())).toThrow(ProbeError);
    expect(() => parseHirefire([{ name: "web", value: 1 }], options())).toThrow(/lists: web/);
    expect(() => parseHirefire([{ name: "worker", value: -1 }], options())).toThrow(ProbeError);
    expect(() => parseHirefire([{ name: "worker", value: null }], options())).toThrow(/no value/);
  });
});

describe("Ebbflow report format", () => {
  it("keeps unknowns unknown", () => {
    const reading = parseEbbflowReport({ queues: [{ name: "default", depth: 2 }] });
    expect(reading.queues).toEqual([{ name: "default", depth: 2, latencyMs: null, busy: null }]);
    expect(reading.scheduled).toBeNull();
  });

  it("names the bad field", () => {
    expect(() => parseEbbflowReport({ queues: [{ name: "default", depth: "2" }] })).toThrow(/queues\.0\.depth/);
  });
});
