/**
 * Heroku's quantity limits (Common Runtime defaults): Eco and Basic dynos run at most one per
 * process type, Performance dynos at most 10 per process type unless Heroku support raises it,
 * and an app runs at most 100 dynos. Above a limit Heroku answers 422
 * `cannot_run_above_limit`, which `lib/heroku/formation.ts` clamps to; web rules are held to
 * these before they are saved and again when deciding.
 */
export const MAX_DYNOS_PER_APP = 100;

/** Most dynos of one process type Heroku runs at `size` (any case; null: Heroku's default size). */
export function maxDynosPerProcessType(size: string | null | undefined): number {
  const name = (size ?? "").trim().toLowerCase();
  if (name === "eco" || name === "basic" || name === "free" || name === "hobby") return 1;
  if (name.startsWith("performance") || name === "px") return 10;
  return MAX_DYNOS_PER_APP;
}

/** "Eco dynos run at most 1 per process type" for the sizes that have a limit of their own. */
export function processTypeLimitPhrase(size: string | null | undefined): string | null {
  const limit = maxDynosPerProcessType(size);
  if (limit >= MAX_DYNOS_PER_APP || !size) return null;
  return `${size} dynos run at most ${limit} per process type on Heroku`;
}
