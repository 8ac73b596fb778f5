import type Stripe from "stripe";
import type { Prisma } from "@/lib/db/generated/client";

/**
 * What an event handler gets. `commit` runs the handler's database changes in one transaction
 * together with the mark that the event was processed, so a replayed event, or the same event
 * delivered twice at once, changes nothing the second time. Stripe calls a handler needs go
 * before `commit`, never inside its transaction.
 */
export interface StripeEventContext {
  /** When Stripe created the event. */
  eventAt: Date;
  /** The processing time (injected in tests). */
  now: Date;
  stripe: () => Stripe;
  /** Returns the apps whose check schedule must follow the change. */
  commit: (changes: (tx: Prisma.TransactionClient) => Promise<string[]>) => Promise<void>;
}

export type StripeEventHandler = (object: unknown, context: StripeEventContext) => Promise<void>;

/** Stripe timestamps are whole seconds: state read from Stripe at `now` is as new as `now`'s second. */
export function freshStateAt(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}
