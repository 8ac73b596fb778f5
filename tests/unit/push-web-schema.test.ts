import { describe, expect, it } from "vitest";
import { pushReportSchema } from "@/lib/queues/push";

/** The protocol-2 web object (docs/AGENT_PROTOCOL.md) as the push endpoint validates it. */
describe("push report web object", () => {
  const base = { protocol: 2, process_type: "web", queues: [], dynos: [{ name: "web.1", quiet: false, busy: 0 }] };

  it("accepts a web window with percentiles, and one with no requests", () => {
    const parsed = pushReportSchema.parse({ ...base, web: { window_seconds: 10, requests: 812, queue_time_ms: { p50: 1.2, p95: 8.5, p99: 21 } } });
    expect(parsed.web).toEqual({ window_seconds: 10, requests: 812, queue_time_ms: { p50: 1.2, p95: 8.5, p99: 21 } });
    expect(pushReportSchema.parse({ ...base, web: { window_seconds: 10, requests: 0 } }).web?.queue_time_ms).toBeUndefined();
    expect(pushReportSchema.parse({ process_type: "worker", queues: [] }).web).toBeUndefined();
  });

  it("refuses out-of-range numbers, naming the field", () => {
    for (const web of [
      { window_seconds: 0, requests: 1 },
      { window_seconds: 10, requests: -1 },
      { window_seconds: 10, requests: 1.5 },
      { window_seconds: 10, requests: 1, queue_time_ms: { p50: -1, p95: 1, p99: 1 } },
      { window_seconds: 10, requests: 1, queue_time_ms: { p50: 1, p95: 1, p99: 3_600_001 } },
    ]) {
      const result = pushReportSchema.safeParse({ ...base, web });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path[0]).toBe("web");
    }
  });
});
