import { describe, expect, it } from "vitest";
import { billingNotice } from "@/lib/billing/billing-notice";
import { GRACE_PERIOD_DAYS, nextBillingState, signalForSubscriptionStatus, type BillingState } from "@/lib/billing/billing-state";

const now = new Date("2026-11-22T10:00:00Z");
const later = new Date("2026-11-24T10:00:00Z");
const graceEnd = new Date(now.getTime() + GRACE_PERIOD_DAYS * 86_400_000);
const active: BillingState = { status: "active", graceUntil: null, suspendedAt: null };

describe("nextBillingState", () => {
  it("starts one grace period on the first failed payment and keeps it on retries", () => {
    const failed = nextBillingState(active, "past_due", now);
    expect(failed).toEqual({ next: { status: "past_due", graceUntil: graceEnd, suspendedAt: null }, resume: false, graceStarted: true });
    const again = nextBillingState(failed.next, "past_due", later);
    expect(again.next.graceUntil).toEqual(graceEnd);
    expect(again.graceStarted).toBe(false);
  });

  it("keeps a suspended app suspended until paid, then resumes what billing paused", () => {
    const suspended: BillingState = { status: "suspended", graceUntil: graceEnd, suspendedAt: later };
    expect(nextBillingState(suspended, "past_due", later)).toEqual({ next: suspended, resume: false, graceStarted: false });
    expect(nextBillingState(suspended, "active", later)).toEqual({ next: active, resume: true, graceStarted: false });
    const pausedByOwner = { ...suspended, suspendedAt: null };
    expect(nextBillingState(pausedByOwner, "active", later).resume).toBe(false);
  });

  it("resumes on cancellation too (the app falls back to the free plan) and ignores incomplete for paid apps", () => {
    const suspended: BillingState = { status: "suspended", graceUntil: graceEnd, suspendedAt: later };
    expect(nextBillingState(suspended, "canceled", later)).toMatchObject({ next: { status: "canceled" }, resume: true });
    expect(nextBillingState(active, "incomplete", later).next).toEqual(active);
    expect(nextBillingState(null, "incomplete", later).next.status).toBe("incomplete");
  });

  it("reads Stripe's subscription statuses", () => {
    expect(["active", "trialing", "past_due", "unpaid", "incomplete", "canceled", "incomplete_expired"].map(signalForSubscriptionStatus)).toEqual([
      "active",
      "active",
      "past_due",
      "past_due",
      "incomplete",
      "canceled",
      "canceled",
    ]);
  });
});

describe("billingNotice", () => {
  it("warns during the grace period and explains a suspension", () => {
    expect(billingNotice(null)).toBeNull();
    expect(billingNotice({ status: "active", graceUntil: null })).toBeNull();
    expect(billingNotice({ status: "past_due", graceUntil: graceEnd })).toMatchObject({ tone: "warning", message: expect.stringMatching(/payment failed/) });
    expect(billingNotice({ status: "suspended", graceUntil: graceEnd })).toMatchObject({ tone: "danger", message: expect.stringMatching(/paused/) });
  });
});
