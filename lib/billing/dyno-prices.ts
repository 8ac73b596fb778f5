/**
 * Heroku's dyno prices (Common Runtime, US list prices), the one table Ebbflow's savings
 * figures use. Heroku prorates to the second and states each size's price per month, which is
 * the price of 720 hours (30 days) of one dyno. Eco is a pool: $5 buys 1000 dyno-hours shared by
 * all of an account's Eco dynos, so its per-hour equivalent is 5/1000.
 */
export interface DynoPrice {
  /** Heroku's size name in lower case, as formation updates use it. */
  size: string;
  /** What one dyno of this size costs for `hoursPerMonth` hours, in US cents. */
  monthlyCents: number;
  hoursPerMonth: number;
}

/** Hours in the month Heroku's monthly prices are quoted for. */
export const BILLED_HOURS_PER_MONTH = 720;

export const dynoPrices: readonly DynoPrice[] = [
  { size: "eco", monthlyCents: 500, hoursPerMonth: 1000 },
  { size: "basic", monthlyCents: 700, hoursPerMonth: BILLED_HOURS_PER_MONTH },
  { size: "standard-1x", monthlyCents: 2500, hoursPerMonth: BILLED_HOURS_PER_MONTH },
  { size: "standard-2x", monthlyCents: 5000, hoursPerMonth: BILLED_HOURS_PER_MONTH },
  { size: "performance-m", monthlyCents: 25000, hoursPerMonth: BILLED_HOURS_PER_MONTH },
  { size: "performance-l", monthlyCents: 50000, hoursPerMonth: BILLED_HOURS_PER_MONTH },
  { size: "performance-l-ram", monthlyCents: 50000, hoursPerMonth: BILLED_HOURS_PER_MONTH },
  { size: "performance-xl", monthlyCents: 75000, hoursPerMonth: BILLED_HOURS_PER_MONTH },
  { size: "performance-2xl", monthlyCents: 150000, hoursPerMonth: BILLED_HOURS_PER_MONTH },
];

/** Size assumed when a process type's rules do not name one: Heroku's default for new process types. */
export const DEFAULT_DYNO_SIZE = "standard-1x";

/** Heroku still accepts the pre-2015 names in formation updates. */
const legacyNames: Record<string, string> = { "1x": "standard-1x", "2x": "standard-2x", px: "performance-l" };

/** The price of a size by name (any case, legacy names allowed); unknown sizes are priced as the default. */
export function dynoPriceFor(size: string): DynoPrice {
  const key = size.trim().toLowerCase();
  const name = legacyNames[key] ?? key;
  const found = dynoPrices.find((price) => price.size === name) ?? dynoPrices.find((price) => price.size === DEFAULT_DYNO_SIZE);
  if (!found) throw new Error(`the dyno price table lacks ${DEFAULT_DYNO_SIZE}`);
  return found;
}

/** Dollars for `dynoSeconds` of one size, billed to the second. */
export function dynoDollars(size: string, dynoSeconds: number): number {
  const price = dynoPriceFor(size);
  return (price.monthlyCents / 100) * (dynoSeconds / (price.hoursPerMonth * 3600));
}
