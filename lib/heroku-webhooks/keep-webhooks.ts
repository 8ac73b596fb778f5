import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { ensureWebhookSubscription, subscriptionProblem } from "@/lib/heroku-webhooks/subscribe-webhooks";
import { RECEIPT_RETENTION_MS, WEBHOOK_RECHECK_AFTER_MS } from "@/lib/heroku-webhooks/webhook-settings";

/** Subscriptions looked at per run; the rest wait for the next run, oldest first. */
const PER_RUN = 200;
/**
 * No new subscription is started after this long: with Heroku slow or down a run of 200 could
 * take minutes, and a worker told to stop waits for the job it is running (a dyno gets 30 s).
 */
const RUN_BUDGET_MS = 20_000;

/**
 * Upkeep: subscribes the add-on tenants that have no webhook subscription yet (those that
 * existed before webhooks, or whose subscription failed), renews the ones marked as needing
 * attention, and checks the ones that have shown no sign of life for a while, so a working
 * subscription stays known to work while nothing happens on the app. Forgets accepted
 * deliveries once they are too old to be replayed anyway.
 */
export async function keepWebhookSubscriptions(
  options: { now?: Date; tenantIds?: string[] } = {},
): Promise<{ checked: number; failed: number; purged: number }> {
  const now = options.now ?? new Date();
  const tenants = await db.tenant.findMany({
    where: {
      // A caller may look after a few tenants only (a repair of one app, a test's own tenants).
      ...(options.tenantIds ? { id: { in: options.tenantIds } } : {}),
      channel: "heroku",
      state: "active",
      herokuResourceId: { not: null },
      tokens: { some: { kind: "addon", revokedAt: null } },
      OR: [
        { herokuWebhookId: null },
        { herokuWebhookProblem: { not: null } },
        { herokuWebhookCheckedAt: null },
        { herokuWebhookCheckedAt: { lt: new Date(now.getTime() - WEBHOOK_RECHECK_AFTER_MS) } },
      ],
    },
    orderBy: { herokuWebhookCheckedAt: { sort: "asc", nulls: "first" } },
    select: { id: true },
    take: PER_RUN,
  });
  let failed = 0;
  let checked = 0;
  const started = Date.now();
  for (const { id } of tenants) {
    if (Date.now() - started > RUN_BUDGET_MS) break;
    checked += 1;
    try {
      await ensureWebhookSubscription(id, now);
    } catch (error) {
      failed += 1;
      log.warn({ tenantId: id, err: error }, "webhook subscription could not be set up");
      await db.tenant.update({ where: { id }, data: { herokuWebhookProblem: subscriptionProblem(error) } });
    }
  }
  const purged = await db.herokuWebhookReceipt.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - RECEIPT_RETENTION_MS) } } });
  return { checked, failed, purged: purged.count };
}
