import { NextResponse } from "next/server";
import { receiveStripeWebhook } from "@/lib/billing/receive-stripe-webhook";
import { handle } from "@/lib/http/handle";
import { readBody } from "@/lib/http/read-body";

/** Stripe's events are a few KB; anything this large is not one, and is refused while reading. */
const MAX_EVENT_BYTES = 512 * 1024;

export const dynamic = "force-dynamic";

/** POST /api/stripe/webhook: Stripe's event deliveries. The raw body is what Stripe signed. */
export const POST = handle(async (request, { log }) => {
  const result = await receiveStripeWebhook(await readBody(request, MAX_EVENT_BYTES), request.headers.get("stripe-signature"));
  log.info(result, "stripe event");
  return NextResponse.json({ received: true, outcome: result.outcome });
});
