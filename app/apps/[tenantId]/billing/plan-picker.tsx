import { planNames, plans, type PlanName } from "@/lib/billing/plans";
import { formatDollars } from "./format";

/** The direct owner's plan buttons: each posts the plan to the checkout handler. */
export function PlanPicker({ tenantId, current }: { tenantId: string; current: PlanName }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-3">
      {planNames.map((name) => {
        const plan = plans[name];
        return (
          <li key={name} className="flex flex-col gap-2 rounded-md border border-slate-200 p-4 dark:border-slate-800">
            <span className="font-semibold">{plan.title}</span>
            <span className="text-sm text-slate-600 dark:text-slate-300">
              {plan.monthlyPriceCents === 0 ? "Free" : `${formatDollars(plan.monthlyPriceCents / 100)} / month`} · checks every{" "}
              {plan.checkIntervalSeconds} s · {plan.maxProcessTypes ?? "any number of"} process type
              {plan.maxProcessTypes === 1 ? "" : "s"}
            </span>
            {name === current ? (
              <span className="text-sm font-medium text-emerald-700 dark:text-emerald-400">Current plan</span>
            ) : (
              <form method="post" action={`/apps/${tenantId}/billing/checkout`}>
                <input type="hidden" name="plan" value={name} />
                <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
                  Switch to {plan.title}
                </button>
              </form>
            )}
          </li>
        );
      })}
    </ul>
  );
}
