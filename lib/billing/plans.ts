/**
 * The plan catalogue: what each plan gives an app. The engine (check interval), the dashboard
 * (limits, features) and retention jobs all read this one table.
 */
export const planNames = ["hobby", "standard", "pro"] as const;
export type PlanName = (typeof planNames)[number];

export interface Plan {
  name: PlanName;
  title: string;
  checkIntervalSeconds: number;
  /** How many process types may be autoscaled; null is unlimited. */
  maxProcessTypes: number | null;
  historyRetentionDays: number;
  features: {
    schedules: boolean;
    notifications: boolean;
    /** A push report that needs more dynos triggers a check at once. */
    pushFastPath: boolean;
    predictive: boolean;
  };
  /** Price per app per month in US cents (the Heroku plan price, or Stripe for direct customers). */
  monthlyPriceCents: number;
}

export const plans: Record<PlanName, Plan> = {
  hobby: {
    name: "hobby",
    title: "Hobby",
    checkIntervalSeconds: 60,
    maxProcessTypes: 1,
    historyRetentionDays: 1,
    features: { schedules: false, notifications: false, pushFastPath: false, predictive: false },
    monthlyPriceCents: 0,
  },
  standard: {
    name: "standard",
    title: "Standard",
    checkIntervalSeconds: 10,
    maxProcessTypes: 5,
    historyRetentionDays: 30,
    features: { schedules: true, notifications: true, pushFastPath: false, predictive: false },
    monthlyPriceCents: 2900,
  },
  pro: {
    name: "pro",
    title: "Pro",
    checkIntervalSeconds: 2,
    maxProcessTypes: null,
    historyRetentionDays: 90,
    features: { schedules: true, notifications: true, pushFastPath: true, predictive: true },
    monthlyPriceCents: 9900,
  },
};

export function isPlanName(value: string): value is PlanName {
  return (planNames as readonly string[]).includes(value);
}

/**
 * Heroku sends the plan as "<addon>:<plan>" in some requests and as the bare plan in others;
 * both name the same plan.
 */
export function parsePlanName(value: string, addonId: string): PlanName | null {
  const bare = value.startsWith(`${addonId}:`) ? value.slice(addonId.length + 1) : value;
  return isPlanName(bare) ? bare : null;
}
