import { NextResponse } from "next/server";
import { receiveHerokuWebhook } from "@/lib/heroku-webhooks/receive-heroku-webhook";
import { MAX_WEBHOOK_BYTES } from "@/lib/heroku-webhooks/webhook-settings";
import { handle } from "@/lib/http/handle";
import { readBody } from "@/lib/http/read-body";

export const dynamic = "force-dynamic";

/**
 * POST /api/heroku/webhooks/{addonId}: Heroku's add-on webhook deliveries (formation and dyno
 * changes) for one add-on resource. The raw body, capped, is what Heroku signed.
 */
export const POST = handle<{ addonId: string }>(async (request, { params, log }) => {
  const result = await receiveHerokuWebhook({
    addonId: params.addonId,
    rawBody: await readBody(request, MAX_WEBHOOK_BYTES),
    signature: request.headers.get("heroku-webhook-hmac-sha256"),
    deliveryId: request.headers.get("heroku-webhook-id"),
  });
  log.info(result, "heroku webhook");
  return NextResponse.json({ received: true, outcome: result.outcome });
});
