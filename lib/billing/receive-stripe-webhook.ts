import Stripe from "stripe";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { stripeEventSchema } from "@/lib/billing/stripe-events/event-schemas";
import { processStripeEvent, type StripeEventOutcome } from "@/lib/billing/stripe-events/process-stripe-event";

/**
 * A webhook delivery from Stripe: the signature over the raw body is checked with
 * STRIPE_WEBHOOK_SECRET (a forged or altered body answers 400 and changes nothing), the event is
 * validated, then processed once. The route caps the body's size before it gets here.
 */
export async function receiveStripeWebhook(
  rawBody: Buffer,
  signature: string | null,
): Promise<{ eventId: string; type: string; outcome: StripeEventOutcome }> {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  // Without a webhook secret nothing Stripe sends can be trusted: the endpoint does not exist.
  if (!secret) throw new AppError("not_found", "Stripe webhooks are not configured here");
  if (!signature) throw new AppError("bad_request", "Missing Stripe-Signature header");

  let verified: unknown;
  try {
    verified = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    throw new AppError("bad_request", "Invalid Stripe signature");
  }
  const event = stripeEventSchema.parse(verified);
  return { eventId: event.id, type: event.type, outcome: await processStripeEvent(event) };
}
