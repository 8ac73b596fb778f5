import { db } from "@/lib/db/client";
import { log } from "@/lib/log";

/** What the tenant's record says when its webhook secret cannot be opened. */
export const UNREADABLE_WEBHOOK_SECRET =
  "the webhook secret cannot be decrypted (sealed with a key that is no longer in ENCRYPTION_KEY); the subscription is being set up again";

/**
 * Marks a tenant whose webhook secret cannot be opened (ENCRYPTION_KEY lost the key that sealed
 * it) as needing attention: the upkeep job gives the subscription a new secret. Never throws:
 * the delivery that found out is answered 503 whatever happens here.
 */
export async function markWebhookSecretUnreadable(tenantId: string, error: unknown): Promise<void> {
  log.warn({ tenantId, reason: error instanceof Error ? error.message : String(error) }, "webhook secret cannot be decrypted; renewing the subscription");
  try {
    await db.tenant.update({ where: { id: tenantId }, data: { herokuWebhookProblem: UNREADABLE_WEBHOOK_SECRET, herokuWebhookCheckedAt: null } });
  } catch (failure) {
    log.warn({ tenantId, err: failure }, "could not mark the webhook subscription for renewal");
  }
}
