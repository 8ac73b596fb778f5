import type { ScaleEventInput } from "@/lib/checks/scale-event";

/**
 * The scale event of a quantity changed on Heroku by someone else (`heroku ps:scale`, the
 * dashboard), however Ebbflow learnt of it: a formation read, or a webhook naming who did it.
 */
export function manualChange(processType: string, fromQuantity: number, toQuantity: number, by?: { email?: string; via: string }): ScaleEventInput {
  const who = by?.email ? ` by ${by.email}` : "";
  return {
    processType,
    fromQuantity,
    toQuantity,
    reason: `${processType} ${fromQuantity} → ${toQuantity}: changed on Heroku${who}`,
    outcome: "manual",
    metrics: by ? { via: by.via, ...(by.email ? { actor: by.email } : {}) } : {},
  };
}
