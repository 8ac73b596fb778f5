import { z } from "zod";
import { AppError } from "@/lib/errors";

/** The fields of the Stripe library's errors that say what went wrong (`StripeError`). */
const stripeErrorSchema = z.object({
  type: z.string().startsWith("Stripe"),
  statusCode: z.number().int().optional(),
  code: z.string().optional(),
});

/**
 * What a Stripe failure means to the person who asked, or null for an error that is not
 * Stripe's: an object Stripe no longer has (404, `resource_missing`: a deleted customer or
 * subscription) is a 409 that says so; Stripe unreachable, rate-limited or failing (connection
 * errors, 429, 5xx) is a 503 to retry; a declined card is a 400 with nothing internal. Other
 * Stripe errors are Ebbflow's mistakes and stay 500s, logged with their detail.
 */
export function appErrorFromStripe(error: unknown): AppError | null {
  if (!(error instanceof Error)) return null;
  const parsed = stripeErrorSchema.safeParse(error);
  if (!parsed.success) return null;
  const { type, statusCode, code } = parsed.data;
  if (statusCode === 404 || code === "resource_missing") {
    return new AppError("conflict", "Stripe no longer has this billing record (it may have been deleted in Stripe); contact support to set billing up again.");
  }
  if (type === "StripeConnectionError" || type === "StripeRateLimitError" || type === "StripeAPIError" || (statusCode !== undefined && (statusCode === 429 || statusCode >= 500))) {
    return new AppError("unavailable", "Stripe could not be reached just now; try again in a minute.", { retryAfterSeconds: 30 });
  }
  if (type === "StripeCardError") return new AppError("bad_request", "The card was declined; update it in the billing portal.");
  return null;
}
