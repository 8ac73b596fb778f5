import { NextResponse } from "next/server";
import { receiveStripeWebhook } from "@/lib/billing/receive-stripe-webhook";
import { handle } from "@/lib/http/handle";

export const dynamic = "force-dynamic";

/** POST /api/stripe/webhook: Stripe's event deliveries. The raw body is what Stripe signed. */
export const POST = handle(async (request, { log }) => {
  const result = await receiveStripeWebhook(await request.text(), request.headers.get("stripe-signature"));
  log.info(result, "stripe event");
  return NextResponse.json({ received: true, outcome: result.outcome });
});
