import { z } from "zod";
import { AppError } from "@/lib/errors";
import { planNames, plans, type PlanName } from "@/lib/billing/plans";

const priceIdSchema = z.string().regex(/^price_[A-Za-z0-9_]+$/, "must be a Stripe price id (price_…)");

/** The Stripe price id each paid plan sells at, from STRIPE_PRICE_STANDARD and STRIPE_PRICE_PRO. */
function configuredPrices(source: Record<string, string | undefined>): Map<PlanName, string> {
  const prices = new Map<PlanName, string>();
  for (const plan of planNames) {
    const variable = plans[plan].stripePriceVariable;
    const raw = variable ? source[variable] : undefined;
    if (!variable || !raw) continue;
    const parsed = priceIdSchema.safeParse(raw);
    if (!parsed.success) throw new AppError("unavailable", `${variable} ${parsed.error.issues[0]?.message ?? "is invalid"}`);
    prices.set(plan, parsed.data);
  }
  return prices;
}

/** The Stripe price of a paid plan; 503 when billing for it is not configured. */
export function stripePriceIdFor(plan: PlanName, source: Record<string, string | undefined> = process.env): string {
  const price = configuredPrices(source).get(plan);
  if (!price) throw new AppError("unavailable", `Stripe is not configured for the ${plans[plan].title} plan`);
  return price;
}

/** Which plan a Stripe price sells, or null for a price Ebbflow does not know. */
export function planForStripePrice(priceId: string, source: Record<string, string | undefined> = process.env): PlanName | null {
  for (const [plan, price] of configuredPrices(source)) if (price === priceId) return plan;
  return null;
}
