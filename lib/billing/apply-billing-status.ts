import { recordAudit } from "@/lib/audit/record-audit";
import { nextBillingState, type BillingSignal } from "@/lib/billing/billing-state";
import type { Prisma } from "@/lib/db/generated/client";

type Tx = Prisma.TransactionClient;

/**
 * Moves a direct app's billing state on a signal from Stripe, inside the caller's transaction:
 * a failed payment starts the grace period, a payment ends it and resumes an app that billing
 * paused. The row must exist (the caller upserts it). True when the app's pause changed, so
 * the caller brings its check schedule in line after the commit.
 */
export async function applyBillingStatus(tx: Tx, tenantId: string, signal: BillingSignal, now: Date): Promise<boolean> {
  const current = await tx.tenantSubscription.findUniqueOrThrow({
    where: { tenantId },
    select: { status: true, graceUntil: true, suspendedAt: true },
  });
  const { next, resume, graceStarted } = nextBillingState(current, signal, now);
  await tx.tenantSubscription.update({ where: { tenantId }, data: next });

  if (graceStarted) {
    await recordAudit(
      {
        tenantId,
        actor: "stripe",
        action: "billing.payment_failed",
        details: { graceUntil: next.graceUntil?.toISOString() ?? null, message: "A payment failed; autoscaling continues during the grace period." },
      },
      tx,
    );
  }
  if (current.status !== next.status && (next.status === "active" || next.status === "canceled")) {
    await recordAudit(
      { tenantId, actor: "stripe", action: next.status === "active" ? "billing.subscribed" : "billing.canceled", details: { from: current.status } },
      tx,
    );
  }
  if (!resume) return false;
  const { count } = await tx.tenant.updateMany({ where: { id: tenantId, paused: true }, data: { paused: false } });
  if (count === 0) return false;
  await recordAudit({ tenantId, actor: "stripe", action: "billing.resumed", details: { message: "Paid: autoscaling resumed." } }, tx);
  return true;
}
