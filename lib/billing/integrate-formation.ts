/** One change of a process type's quantity: from `atMs` on, `quantity` dynos run. */
export interface QuantityChange {
  atMs: number;
  quantity: number;
}

/**
 * Dyno-seconds a process type ran in [fromMs, toMs): the integral of its quantity over time.
 * `startQuantity` runs from `fromMs` until the first change; changes outside the window are
 * ignored, so the caller passes the quantity in force at `fromMs`. Heroku bills each dyno from
 * the moment the formation asks for it, so this is the bill's own measure.
 */
export function integrateDynoSeconds(
  startQuantity: number,
  changes: readonly QuantityChange[],
  fromMs: number,
  toMs: number,
): number {
  if (toMs <= fromMs) return 0;
  const ordered = changes.filter((change) => change.atMs >= fromMs && change.atMs < toMs).sort((a, b) => a.atMs - b.atMs);
  let quantity = startQuantity;
  let sinceMs = fromMs;
  let dynoMs = 0;
  for (const change of ordered) {
    dynoMs += quantity * (change.atMs - sinceMs);
    quantity = change.quantity;
    sinceMs = change.atMs;
  }
  dynoMs += quantity * (toMs - sinceMs);
  return dynoMs / 1000;
}
