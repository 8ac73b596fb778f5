import { describe, expect, it } from "vitest";
import { notificationsForCheck } from "@/lib/notifications/notifications-for-check";
import { decide, emptyHistory } from "@/lib/scaling/decide";
import { processRuleSchema } from "@/lib/scaling/rules";

const now = new Date("2026-11-22T12:00:00Z");
const rule = processRuleSchema.parse({ processType: "worker", maxQuantity: 3, concurrencyPerDyno: 5 });
const metrics = (depth: number) => ({ worker: { queues: [{ name: "default", depth, latencyMs: 20_000, busy: 15, scheduled: 0, retries: 0, sampledAt: now }] } });

describe("notificationsForCheck", () => {
  it("reports a process type at its maximum that needs more, and a refused change", () => {
    const decisions = decide({ checkIntervalSeconds: 10, processTypes: [rule] }, metrics(200), { worker: emptyHistory(3) }, now);
    const found = notificationsForCheck(
      {
        tenantId: "t",
        decisions,
        events: [
          { tenantId: "t", processType: "worker", occurredAt: now, fromQuantity: 1, toQuantity: 3, reason: "worker 1 → 3: …", metrics: {}, outcome: "failed", apiLatencyMs: null, error: "Cannot run more than 1 Basic size dynos" },
        ],
      },
      now,
    );
    expect(found.map((n) => n.kind)).toEqual(["failure", "max"]);
    expect(found[0]?.message).toContain("Cannot run more than 1 Basic size dynos");
    expect(found[1]?.message).toContain("running 3 of 3 dynos");
  });

  it("stays quiet below the maximum", () => {
    const decisions = decide({ checkIntervalSeconds: 10, processTypes: [rule] }, metrics(5), { worker: emptyHistory(1) }, now);
    expect(notificationsForCheck({ tenantId: "t", decisions, events: [] }, now)).toEqual([]);
  });
});
