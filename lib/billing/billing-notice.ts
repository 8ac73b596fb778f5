import type { BillingStatus } from "@/lib/db/generated/client";

export interface BillingNotice {
  tone: "warning" | "danger";
  message: string;
}

/**
 * The banner a direct app's pages show about its payments, or null when all is well: during
 * the grace period, when autoscaling will stop; once suspended, that it has and how to resume.
 */
export function billingNotice(state: { status: BillingStatus; graceUntil: Date | null } | null): BillingNotice | null {
  if (!state) return null;
  if (state.status === "past_due") {
    const until = state.graceUntil ? ` until ${state.graceUntil.toUTCString()}` : "";
    return {
      tone: "warning",
      message: `A payment failed. Autoscaling keeps running${until}; update your card in the billing portal to keep it on.`,
    };
  }
  if (state.status === "suspended") {
    return {
      tone: "danger",
      message: "Autoscaling is paused because a payment failed and the 7-day grace period ended. Paying the open invoice resumes it at once.",
    };
  }
  return null;
}
