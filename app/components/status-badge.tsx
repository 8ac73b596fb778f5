import type { AppStatus } from "@/lib/dashboard/app-status";

const toneClasses: Record<AppStatus["tone"], string> = {
  ok: "bg-emerald-100 text-emerald-900 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30",
  warn: "bg-amber-100 text-amber-950 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-400/30",
  bad: "bg-red-100 text-red-900 ring-red-600/30 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/30",
  neutral: "bg-slate-100 text-slate-800 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-400/30",
};

/** The app's status as a badge; the detail goes in the title and, where there is room, beside it. */
export function StatusBadge({ status }: { status: AppStatus }) {
  return (
    <span
      data-status={status.kind}
      title={status.detail}
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${toneClasses[status.tone]}`}
    >
      {status.label}
    </span>
  );
}
