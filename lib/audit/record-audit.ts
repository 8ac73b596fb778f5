import type { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";

export type AuditAction =
  | "tenant.provisioned"
  | "tenant.plan_changed"
  | "tenant.deprovisioned"
  | "tenant.purged"
  | "tenant.connected"
  | "token.granted"
  | "token.refreshed"
  | "token.revoked"
  | "token.refresh_failed"
  | "membership.created"
  | "membership.ended"
  | "membership.role_changed"
  | "session.sso"
  | "billing.downgraded"
  | "billing.subscribed"
  | "billing.payment_failed"
  | "billing.suspended"
  | "billing.resumed"
  | "billing.canceled";

type Client = Pick<Prisma.TransactionClient, "auditLog">;

/** Appends one audit entry. Pass the transaction when the change it records is in one. */
export async function recordAudit(
  entry: { tenantId: string | null; actor: string; action: AuditAction; details?: Prisma.InputJsonValue },
  client: Client = db,
): Promise<void> {
  await client.auditLog.create({
    data: { tenantId: entry.tenantId, actor: entry.actor, action: entry.action, details: entry.details ?? {} },
  });
}
