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
    /**
     * A report that finds work for a process type Ebbflow has at zero triggers a check at once
     * (the agents send one when a job is enqueued then: the enqueue wake).
     */
    wakeFromZero: boolean;
    predictive: boolean;
  };
  /** Price per app per month in US cents (the Heroku plan price, or Stripe for direct customers). */
  monthlyPriceCents: number;
  /**
   * The environment variable that holds this plan's Stripe price id, for apps billed directly;
   * null for the free plan, which has no subscription item.
   */
  stripePriceVariable: "STRIPE_PRICE_STANDARD" | "STRIPE_PRICE_PRO" | null;
}

export const plans: Record<PlanName, Plan> = {
  hobby: {
    name: "hobby",
    title: "Hobby",
    checkIntervalSeconds: 60,
    maxProcessTypes: 1,
    historyRetentionDays: 1,
    features: { schedules: false, notifications: false, pushFastPath: false, wakeFromZero: false, predictive: false },
    monthlyPriceCents: 0,
    stripePriceVariable: null,
  },
  standard: {
    name: "standard",
    title: "Standard",
    checkIntervalSeconds: 10,
    maxProcessTypes: 5,
    historyRetentionDays: 30,
    features: { schedules: true, notifications: true, pushFastPath: false, wakeFromZero: true, predictive: false },
    monthlyPriceCents: 2900,
    stripePriceVariable: "STRIPE_PRICE_STANDARD",
  },
  pro: {
    name: "pro",
    title: "Pro",
    checkIntervalSeconds: 2,
    maxProcessTypes: null,
    historyRetentionDays: 90,
    features: { schedules: true, notifications: true, pushFastPath: true, wakeFromZero: true, predictive: true },
    monthlyPriceCents: 9900,
    stripePriceVariable: "STRIPE_PRICE_PRO",
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

/** Plans with a price: what a direct customer subscribes to through Stripe. */
export function isPaidPlan(plan: PlanName): boolean {
  return plans[plan].monthlyPriceCents > 0;
}

/** The catalogue's plan for a stored plan name; an unknown name counts as the free plan. */
export function planOrHobby(value: string): Plan {
  return isPlanName(value) ? plans[value] : plans.hobby;
}
