import { LocalTime } from "@/app/components/local-time";
import { OutcomeBadge } from "@/app/components/outcome-badge";
import type { DecisionLine } from "@/lib/dashboard/list-recent-decisions";

/** Scale decisions with their reasons, newest first. */
export function DecisionList({ decisions, empty }: { decisions: DecisionLine[]; empty: string }) {
  if (decisions.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">{empty}</p>;
  return (
    <ol className="flex flex-col divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
      {decisions.map((d) => (
        <li key={d.id} data-testid="decision" className="flex flex-col gap-1 px-4 py-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">
              {d.processType} {d.fromQuantity} → {d.toQuantity}
            </span>
            <OutcomeBadge outcome={d.outcome} />
            <span className="text-slate-600 dark:text-slate-400">
              <LocalTime iso={d.occurredAt} />
            </span>
          </div>
          <p className="text-slate-700 dark:text-slate-300">{d.reason}</p>
          {d.error ? <p className="text-red-700 dark:text-red-300">Heroku said: {d.error}</p> : null}
        </li>
      ))}
    </ol>
  );
}
