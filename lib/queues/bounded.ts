import { z } from "zod";

/**
 * Numbers and strings as the columns that keep them can hold. Queue numbers end up in
 * Postgres `integer` columns (metric samples) and strings in `text` (health, events), written
 * in batches shared by many tenants: a value a column refuses (3 000 000 000 in an int, a NUL
 * in text) would fail every tenant's rows in that batch, so such values are refused where
 * they are parsed, with a message that says why.
 */

/** The largest value of a Postgres `integer`. */
export const INT4_MAX = 2_147_483_647;

/** A non-negative whole count that fits an `integer` column. */
export const boundedCount = z.number().int().min(0).max(INT4_MAX, "must be at most 2147483647");

/** Milliseconds that fit an `integer` column (about 24.8 days). */
export const boundedMs = z.number().min(0).max(INT4_MAX, "must be at most 2147483647 ms");

/** NUL and the other C0/C1 control characters (Unicode Cc): Postgres refuses NUL in text; none belongs in a name. */
const controlCharacters = /\p{Cc}/u;

/** A name (queue, namespace, prefix, process type): 1..max characters, no control characters. */
export function plainName(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !controlCharacters.test(value), "must not contain control characters (NUL, newlines, tabs)");
}
