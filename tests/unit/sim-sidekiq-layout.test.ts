import { describe, expect, it } from "vitest";
import {
  buildSidekiqJob,
  sidekiqJobDurationSeconds,
  sidekiqKey,
  sidekiqTimestampToMs,
  sidekiqWorkEntry,
} from "@/sim/jobs/sidekiq-layout";

describe("Sidekiq layout", () => {
  it("writes float seconds for Sidekiq 7 and integer milliseconds for Sidekiq 8", () => {
    const nowMs = 1_700_000_000_123;
    const seven = buildSidekiqJob({ queue: "default", className: "ReportJob", args: [{ duration: 3 }], nowMs, version: 7 });
    const eight = buildSidekiqJob({ queue: "default", className: "ReportJob", args: [{ duration: 3 }], nowMs, version: 8 });
    expect(seven.enqueued_at).toBe(1_700_000_000.123);
    expect(eight.enqueued_at).toBe(nowMs);
    expect(sidekiqTimestampToMs(seven.enqueued_at ?? 0)).toBeCloseTo(nowMs, 0);
    expect(sidekiqTimestampToMs(eight.enqueued_at ?? 0)).toBe(nowMs);
    expect(seven.jid).toMatch(/^[0-9a-f]{24}$/);
    expect(sidekiqJobDurationSeconds(seven)).toBe(3);
    expect(sidekiqJobDurationSeconds({ ...seven, args: ["no duration"] })).toBeNull();
  });

  it("namespaces keys and stores work payloads as the raw job string", () => {
    expect(sidekiqKey("myapp", "queue:default")).toBe("myapp:queue:default");
    expect(sidekiqKey(undefined, "processes")).toBe("processes");
    expect(JSON.parse(sidekiqWorkEntry("default", '{"jid":"x"}', 1_700_000_000_999))).toEqual({
      queue: "default",
      payload: '{"jid":"x"}',
      run_at: 1_700_000_000,
    });
  });
});
