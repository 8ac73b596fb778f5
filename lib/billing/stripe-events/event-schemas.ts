import { z } from "zod";

/**
 * What Ebbflow reads from Stripe's webhook events, validated like any other input. Only the
 * fields used are named; Stripe adds fields freely and those pass through unread.
 */

/** An expandable reference: an id, or the object when expanded. */
const reference = z.union([z.string(), z.object({ id: z.string() })]).transform((value) => (typeof value === "string" ? value : value.id));

const metadataSchema = z.record(z.string(), z.string()).nullish().transform((value) => value ?? {});

export const stripeEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  /** Unix seconds. */
  created: z.number().int(),
  data: z.object({ object: z.unknown() }),
});
export type StripeEventEnvelope = z.infer<typeof stripeEventSchema>;

export const subscriptionItemSchema = z.object({
  id: z.string().min(1),
  price: z.object({ id: z.string().min(1) }),
  metadata: metadataSchema,
});

export const subscriptionSchema = z.object({
  id: z.string().min(1),
  customer: reference,
  status: z.string(),
  items: z.object({ data: z.array(subscriptionItemSchema), has_more: z.boolean().default(false) }),
});
export type SubscriptionSnapshot = z.infer<typeof subscriptionSchema>;

export const checkoutSessionSchema = z.object({
  id: z.string().min(1),
  mode: z.string(),
  customer: reference.nullish(),
  subscription: reference.nullish(),
  client_reference_id: z.string().nullish(),
  metadata: metadataSchema,
});

/** An invoice's subscription: `parent.subscription_details` today, `subscription` on older API versions. */
export const invoiceSchema = z
  .object({
    id: z.string().min(1),
    subscription: reference.nullish(),
    parent: z.object({ subscription_details: z.object({ subscription: reference }).nullish() }).nullish(),
  })
  .transform((invoice) => ({
    id: invoice.id,
    subscriptionId: invoice.parent?.subscription_details?.subscription ?? invoice.subscription ?? null,
  }));
