import { describe, expect, it } from "vitest";
import { createStripeClient } from "@/lib/billing/stripe-client";
import { planForStripePrice, stripePriceIdFor } from "@/lib/billing/stripe-prices";
import { AppError } from "@/lib/errors";
import { parseStripeForm } from "../helpers/stripe-fake";

describe("Stripe configuration", () => {
  it("refuses with 503 'Stripe is not configured' without a secret key", () => {
    expect(() => createStripeClient({ STRIPE_SECRET_KEY: undefined, STRIPE_API_URL: undefined })).toThrow(
      new AppError("unavailable", "Stripe is not configured"),
    );
    expect(createStripeClient({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_API_URL: "http://127.0.0.1:4999" })).toBeDefined();
  });

  it("maps plans to the price ids in the environment and back", () => {
    const source = { STRIPE_PRICE_STANDARD: "price_std", STRIPE_PRICE_PRO: "price_pro" };
    expect(stripePriceIdFor("pro", source)).toBe("price_pro");
    expect(planForStripePrice("price_std", source)).toBe("standard");
    expect(planForStripePrice("price_other", source)).toBeNull();
    expect(() => stripePriceIdFor("pro", {})).toThrow(/Stripe is not configured for the Pro plan/);
    expect(() => stripePriceIdFor("pro", { STRIPE_PRICE_PRO: "prod_x" })).toThrow(/STRIPE_PRICE_PRO must be a Stripe price id/);
  });
});

describe("the Stripe fake's form parsing", () => {
  it("reads Stripe's bracket encoding into objects and arrays", () => {
    const body = "mode=subscription&line_items[0][price]=price_a&line_items[0][quantity]=1&metadata[tenant_id]=t1&expand[0]=items";
    expect(parseStripeForm(body.replaceAll("[", "%5B").replaceAll("]", "%5D"))).toEqual({
      mode: "subscription",
      line_items: [{ price: "price_a", quantity: "1" }],
      metadata: { tenant_id: "t1" },
      expand: ["items"],
    });
  });
});
