import { dynoDollars } from "@/lib/billing/dyno-prices";
import { integrateDynoSeconds, type QuantityChange } from "@/lib/billing/integrate-formation";

export interface ProcessTypeHistory {
  processType: string;
  dynoSize: string;
  /** Dynos running at the start of the window. */
  startQuantity: number;
  /** The rule's maximum: what a fixed formation sized for the peak would run all the time. */
  maxQuantity: number;
  changes: readonly QuantityChange[];
}

export interface ProcessTypeSavings {
  processType: string;
  dynoSize: string;
  usedDynoSeconds: number;
  usedDollars: number;
  atMaxDynoSeconds: number;
  atMaxDollars: number;
  savedDollars: number;
}

export interface Savings {
  fromMs: number;
  toMs: number;
  processTypes: ProcessTypeSavings[];
  usedDynoHours: number;
  usedDollars: number;
  atMaxDollars: number;
  savedDollars: number;
}

/**
 * What the formation Ebbflow ran cost in [fromMs, toMs), against running every process type
 * at its maximum for the same window: the figure a customer weighs Ebbflow's price against.
 */
export function computeSavings(fromMs: number, toMs: number, histories: readonly ProcessTypeHistory[]): Savings {
  const windowSeconds = Math.max(0, toMs - fromMs) / 1000;
  const processTypes = histories.map((history): ProcessTypeSavings => {
    const usedDynoSeconds = integrateDynoSeconds(history.startQuantity, history.changes, fromMs, toMs);
    const atMaxDynoSeconds = history.maxQuantity * windowSeconds;
    const usedDollars = dynoDollars(history.dynoSize, usedDynoSeconds);
    const atMaxDollars = dynoDollars(history.dynoSize, atMaxDynoSeconds);
    return {
      processType: history.processType,
      dynoSize: history.dynoSize,
      usedDynoSeconds,
      usedDollars,
      atMaxDynoSeconds,
      atMaxDollars,
      savedDollars: atMaxDollars - usedDollars,
    };
  });
  const sum = (pick: (line: ProcessTypeSavings) => number) => processTypes.reduce((total, line) => total + pick(line), 0);
  return {
    fromMs,
    toMs,
    processTypes,
    usedDynoHours: sum((line) => line.usedDynoSeconds) / 3600,
    usedDollars: sum((line) => line.usedDollars),
    atMaxDollars: sum((line) => line.atMaxDollars),
    savedDollars: sum((line) => line.savedDollars),
  };
}
