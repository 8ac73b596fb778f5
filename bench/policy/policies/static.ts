import type { SimPolicy } from "@/bench/policy/policy";

/** A fixed formation: what people run when they do not autoscale. */
export function staticPolicy(name: string, quantity: number): SimPolicy {
  return {
    name,
    knobs: { quantity },
    checkIntervalSeconds: null,
    reportingDelaySeconds: 0,
    initialQuantity: quantity,
    apiReadsPerCheck: 0,
    check: () => null,
  };
}
