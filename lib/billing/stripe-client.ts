import Stripe from "stripe";
import { env, type Env } from "@/lib/env";
import { AppError } from "@/lib/errors";

type StripeSettings = Pick<Env, "STRIPE_SECRET_KEY" | "STRIPE_API_URL">;

/**
 * A Stripe client for the given settings. STRIPE_API_URL only points the library at a local
 * stand-in (tests, the demo); production talks to Stripe itself. Without a secret key, billing
 * answers 503 "Stripe is not configured" rather than failing somewhere deeper.
 */
export function createStripeClient(settings: StripeSettings): Stripe {
  if (!settings.STRIPE_SECRET_KEY) throw new AppError("unavailable", "Stripe is not configured");
  const config: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 15_000, appInfo: { name: "Ebbflow" } };
  if (settings.STRIPE_API_URL) {
    const url = new URL(settings.STRIPE_API_URL);
    config.host = url.hostname;
    config.protocol = url.protocol === "http:" ? "http" : "https";
    config.port = url.port || (config.protocol === "http" ? 80 : 443);
  }
  return new Stripe(settings.STRIPE_SECRET_KEY, config);
}

const globalForStripe = globalThis as unknown as { ebbflowStripe?: { key: string; client: Stripe } };

/** This process's Stripe client, built from the environment on first use. */
export function stripeClient(): Stripe {
  const settings = env();
  const key = `${settings.STRIPE_SECRET_KEY ?? ""}|${settings.STRIPE_API_URL ?? ""}`;
  const cached = globalForStripe.ebbflowStripe;
  if (cached?.key === key) return cached.client;
  const client = createStripeClient(settings);
  globalForStripe.ebbflowStripe = { key, client };
  return client;
}
