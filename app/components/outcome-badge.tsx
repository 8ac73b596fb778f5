import type { ScaleOutcome } from "@/lib/db/generated/enums";

const labels: Record<ScaleOutcome, string> = {
  applied: "applied",
  dry_run: "dry run",
  not_authorized: "not authorized",
  failed: "failed",
  manual: "changed on Heroku",
};

const classes: Record<ScaleOutcome, string> = {
  applied: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  dry_run: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  not_authorized: "bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-100",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  manual: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
};

export function OutcomeBadge({ outcome }: { outcome: ScaleOutcome }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${classes[outcome]}`}>{labels[outcome]}</span>;
}
