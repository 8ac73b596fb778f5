import { env } from "@/lib/env";

/** What each tenant's add-on webhook subscription asks Heroku for. */
export const WEBHOOK_INCLUDES = ["api:formation", "api:dyno"] as const;
/** `sync`: Heroku retries a delivery Ebbflow did not accept, for up to 72 hours. */
export const WEBHOOK_LEVEL = "sync";

/** A formation or dyno event is a few KB; anything larger is not one and is refused while reading. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;
/** Older events are refused: the formation has been re-read since, and a captured delivery cannot be replayed later. */
export const MAX_EVENT_AGE_MS = 15 * 60_000;
/** How far ahead of Ebbflow's clock an event's `created_at` may be (clock skew), not more. */
export const MAX_EVENT_LEAD_MS = 5 * 60_000;
/** Accepted deliveries are remembered this long, well past MAX_EVENT_AGE_MS, to refuse replays. */
export const RECEIPT_RETENTION_MS = 60 * 60_000;

/** Webhooks count as working for this long after a verified delivery or a subscription found as it should be. */
export const WEBHOOKS_HEALTHY_MS = 30 * 60_000;
/** The upkeep job looks at a subscription again once it has been this long without a sign of life. */
export const WEBHOOK_RECHECK_AFTER_MS = 20 * 60_000;

/** Whether a tenant's webhooks are known to work at `nowMs`, from its last sign of life. */
export function webhooksHealthy(checkedAtMs: number | null | undefined, nowMs: number): boolean {
  return typeof checkedAtMs === "number" && nowMs - checkedAtMs <= WEBHOOKS_HEALTHY_MS;
}

/** Where Heroku delivers one add-on's webhook events: the resource's uuid names the tenant. */
export function webhookUrl(herokuResourceId: string): string {
  return new URL(`/api/heroku/webhooks/${herokuResourceId}`, env().APP_URL).toString();
}
