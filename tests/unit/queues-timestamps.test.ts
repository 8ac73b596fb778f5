import { describe, expect, it } from "vitest";
import { epochToMs, rqTimestampMs, sidekiqEnqueuedAtMs } from "@/lib/queues/timestamps";

describe("Sidekiq enqueued_at across versions", () => {
  const ms = 1_700_000_000_123;

  it("reads Sidekiq 6/7 float seconds", () => {
    expect(sidekiqEnqueuedAtMs(JSON.stringify({ enqueued_at: 1_700_000_000.123 }))).toEqual({ ok: true, ms: 1_700_000_000_123 });
  });

  it("reads float seconds that JSON turned into an integer (Ruby's 1700000000.0)", () => {
    expect(sidekiqEnqueuedAtMs('{"enqueued_at":1700000000.0}')).toEqual({ ok: true, ms: 1_700_000_000_000 });
  });

  it("reads Sidekiq 8 integer milliseconds", () => {
    expect(sidekiqEnqueuedAtMs(JSON.stringify({ enqueued_at: ms, created_at: ms - 5 }))).toEqual({ ok: true, ms });
  });

  it("falls back to created_at, as Sidekiq's own latency does", () => {
    expect(sidekiqEnqueuedAtMs(JSON.stringify({ created_at: ms }))).toEqual({ ok: true, ms });
  });

  it("says a job without a time has none, rather than zero", () => {
    expect(sidekiqEnqueuedAtMs(JSON.stringify({ class: "X", args: [] }))).toEqual({ ok: true, ms: null });
  });

  it("reports what does not parse", () => {
    expect(sidekiqEnqueuedAtMs("not json")).toMatchObject({ ok: false });
    expect(sidekiqEnqueuedAtMs(JSON.stringify({ enqueued_at: "yesterday" }))).toMatchObject({ ok: false });
    expect(sidekiqEnqueuedAtMs(JSON.stringify({ enqueued_at: -5 }))).toMatchObject({ ok: false });
  });

  it("tells seconds from milliseconds by magnitude", () => {
    expect(epochToMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(epochToMs(1_700_000_000_000)).toBe(1_700_000_000_000);
  });
});

describe("RQ timestamps", () => {
  it("reads microsecond and second resolution", () => {
    expect(rqTimestampMs("2024-03-01T12:00:00.250000Z")).toBe(Date.UTC(2024, 2, 1, 12, 0, 0, 250));
    expect(rqTimestampMs("2024-03-01T12:00:00.000001Z")).toBeCloseTo(Date.UTC(2024, 2, 1, 12) + 0.001, 6);
    expect(rqTimestampMs("2024-03-01T12:00:00Z")).toBe(Date.UTC(2024, 2, 1, 12));
  });

  it("refuses anything else", () => {
    expect(rqTimestampMs("2024-03-01 12:00:00")).toBeNull();
    expect(rqTimestampMs("")).toBeNull();
  });
});
