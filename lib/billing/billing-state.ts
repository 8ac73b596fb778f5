import type { BillingStatus } from "@/lib/db/generated/client";

/** How long autoscaling keeps running after a failed payment before billing pauses it. */
export const GRACE_PERIOD_DAYS = 7;
const GRACE_PERIOD_MS = GRACE_PERIOD_DAYS * 24 * 60 * 60 * 1000;

export interface BillingState {
  status: BillingStatus;
  graceUntil: Date | null;
  suspendedAt: Date | null;
}

/** What Stripe says about a subscription, reduced to what Ebbflow acts on. */
export type BillingSignal = "incomplete" | "active" | "past_due" | "canceled";

export interface BillingTransition {
  next: BillingState;
  /** Billing had paused the app and no longer does: autoscaling resumes. */
  resume: boolean;
  /** A payment just failed: the grace period starts now. */
  graceStarted: boolean;
}

/**
 * The billing state after a signal from Stripe. A failed payment starts one grace period and a
 * second failure does not extend it; a suspended app stays suspended until it is paid for (or
 * the subscription ends, when it falls back to the free plan and runs again).
 */
export function nextBillingState(current: BillingState | null, signal: BillingSignal, now: Date): BillingTransition {
  const billingPaused = current?.suspendedAt != null;
  switch (signal) {
    case "active":
    case "canceled":
      return {
        next: { status: signal, graceUntil: null, suspendedAt: null },
        resume: billingPaused,
        graceStarted: false,
      };
    case "past_due": {
      if (current?.status === "suspended") return { next: current, resume: false, graceStarted: false };
      const graceUntil = current?.status === "past_due" && current.graceUntil ? current.graceUntil : new Date(now.getTime() + GRACE_PERIOD_MS);
      return {
        next: { status: "past_due", graceUntil, suspendedAt: null },
        resume: false,
        graceStarted: current?.status !== "past_due",
      };
    }
    case "incomplete":
      // Checkout started but nothing is paid yet; an app already paid for keeps its standing.
      if (current && current.status !== "incomplete") return { next: current, resume: false, graceStarted: false };
      return { next: { status: "incomplete", graceUntil: null, suspendedAt: null }, resume: false, graceStarted: false };
  }
}

/** Stripe's subscription status as a billing signal. */
export function signalForSubscriptionStatus(status: string): BillingSignal {
  switch (status) {
    case "active":
    case "trialing":
      return "active";
    case "past_due":
    case "unpaid":
    case "paused":
      return "past_due";
    case "incomplete":
      return "incomplete";
    default:
      // canceled, incomplete_expired and anything Stripe adds later: no paid plan.
      return "canceled";
  }
}
