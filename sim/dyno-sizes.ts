/**
 * Heroku's dyno sizes as the simulator bills and limits them. Prices are Heroku's published
 * per-hour list prices (Common Runtime, US), billed per second; the monthly cap is kept for
 * reference only, because simulated runs are far shorter than a month. Eco is a shared
 * $5 / 1000 hours pool on Heroku; the sim bills it at the pool's hourly equivalent.
 */
export interface DynoSize {
  /** Canonical lower-case name used in requests, e.g. "standard-1x". */
  name: string;
  /** The name Heroku shows and returns, e.g. "Standard-1X". */
  displayName: string;
  /** A stable id, as Heroku's dyno sizes have. */
  id: string;
  hourlyDollars: number;
  monthlyCapDollars: number;
  /** Most dynos of this size one process type may run, or null when only the app limit applies. */
  maxPerProcessType: number | null;
}

const sizes: DynoSize[] = [
  size("eco", "Eco", "1a1c6f4e-0b6e-4e55-9d3b-3f0cbd6f7a01", 0.005, 5, 1),
  size("basic", "Basic", "2b2d7a5f-1c7f-4f66-8e4c-4a1dce7a8b02", 0.01, 7, 1),
  size("standard-1x", "Standard-1X", "3c3e8b60-2d80-4077-9f5d-5b2edf8b9c03", 0.035, 25, null),
  size("standard-2x", "Standard-2X", "4d4f9c71-3e91-4188-a06e-6c3fe09cad04", 0.069, 50, null),
  size("performance-m", "Performance-M", "5e50ad82-4fa2-4299-b17f-7d40f1adbe05", 0.347, 250, 10),
  size("performance-l", "Performance-L", "6f61be93-50b3-43aa-8280-8e5102becf06", 0.694, 500, 10),
  size("performance-l-ram", "Performance-L-RAM", "7072cfa4-61c4-44bb-9391-9f6213cfd007", 0.694, 500, 10),
  size("performance-xl", "Performance-XL", "8183d0b5-72d5-45cc-a4a2-a07324d0e108", 1.042, 750, 10),
  size("performance-2xl", "Performance-2XL", "9294e1c6-83e6-46dd-b5b3-b18435e1f209", 2.083, 1500, 10),
];

function size(
  name: string,
  displayName: string,
  id: string,
  hourlyDollars: number,
  monthlyCapDollars: number,
  maxPerProcessType: number | null,
): DynoSize {
  return { name, displayName, id, hourlyDollars, monthlyCapDollars, maxPerProcessType };
}

/** Heroku still accepts the pre-2015 size names in formation updates. */
const legacyAliases: Record<string, string> = { "1x": "standard-1x", "2x": "standard-2x", px: "performance-l" };

/** Most dynos one app may run across all process types (Heroku's default limit). */
export const maxDynosPerApp = 100;

export const dynoSizes: readonly DynoSize[] = sizes;

/** Finds a size by name (any case, legacy aliases allowed) or by id; undefined if unknown. */
export function findDynoSize(nameOrId: string): DynoSize | undefined {
  const key = nameOrId.trim().toLowerCase();
  const name = legacyAliases[key] ?? key;
  return sizes.find((candidate) => candidate.name === name || candidate.id === key);
}

/** Like findDynoSize, for sizes the caller controls (configuration, not requests). */
export function dynoSizeOrThrow(nameOrId: string): DynoSize {
  const found = findDynoSize(nameOrId);
  if (!found) throw new Error(`unknown dyno size "${nameOrId}" (known: ${sizes.map((s) => s.name).join(", ")})`);
  return found;
}

/** Dollars for running one dyno of `size` for `seconds` (per-second billing). */
export function dynoCostDollars(dynoSize: DynoSize, seconds: number): number {
  return (dynoSize.hourlyDollars * seconds) / 3600;
}
