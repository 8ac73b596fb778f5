"use client";

import type { ScheduleDraft } from "@/lib/dashboard/rule-form";
import { weekdays } from "@/lib/scaling/schedule-window";

const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm aria-invalid:border-red-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900";

interface Props {
  idPrefix: string;
  schedules: ScheduleDraft[];
  allowed: boolean;
  errors: Record<string, string>;
  onChange: (next: ScheduleDraft[]) => void;
}

function defaultTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Time windows that override min and max; the first window that matches wins. */
export function ScheduleEditor({ idPrefix, schedules, allowed, errors, onChange }: Props) {
  const set = (index: number, patch: Partial<ScheduleDraft>) => onChange(schedules.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const text = (index: number, key: "name" | "start" | "end" | "timeZone" | "minQuantity" | "maxQuantity", label: string, placeholder: string) => {
    const id = `${idPrefix}-schedule-${index}-${key}`;
    const error = errors[`schedules.${index}.${key}`];
    return (
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-xs font-medium">
          {label}
        </label>
        <input id={id} className={inputClass} value={schedules[index]?.[key] ?? ""} placeholder={placeholder} onChange={(e) => set(index, { [key]: e.target.value })} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
        {error ? (
          <p id={`${id}-error`} className="text-xs text-red-700 dark:text-red-300">
            {label}: {error}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300">Schedules</legend>
      {!allowed ? <p className="text-sm text-slate-600 dark:text-slate-300">Schedules come with the Standard and Pro plans.</p> : null}
      {schedules.length === 0 && allowed ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">No schedule: the minimum and maximum above apply all the time.</p>
      ) : null}
      {schedules.map((schedule, index) => {
        const windowError = errors[`schedules.${index}`];
        return (
          <div key={index} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 dark:border-slate-800">
            <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
              {text(index, "name", "Name", "Weekday office hours")}
              {text(index, "start", "Start", "08:00")}
              {text(index, "end", "End", "18:00")}
              {text(index, "timeZone", "Time zone", "Europe/Berlin")}
              {text(index, "minQuantity", "Minimum", "2")}
              {text(index, "maxQuantity", "Maximum", "10")}
            </div>
            <fieldset className="flex flex-wrap gap-3">
              <legend className="text-xs font-medium">Days</legend>
              {weekdays.map((day) => {
                const id = `${idPrefix}-schedule-${index}-${day}`;
                return (
                  <span key={day} className="inline-flex items-center gap-1">
                    <input
                      id={id}
                      type="checkbox"
                      checked={schedule.days.includes(day)}
                      onChange={(e) => set(index, { days: e.target.checked ? [...schedule.days, day] : schedule.days.filter((d) => d !== day) })}
                    />
                    <label htmlFor={id} className="text-sm capitalize">
                      {day}
                    </label>
                  </span>
                );
              })}
            </fieldset>
            {errors[`schedules.${index}.days`] ? <p className="text-xs text-red-700 dark:text-red-300">Days: {errors[`schedules.${index}.days`]}</p> : null}
            {windowError ? <p className="text-xs text-red-700 dark:text-red-300">{windowError}</p> : null}
            <div>
              <button type="button" onClick={() => onChange(schedules.filter((_, i) => i !== index))} className="text-sm text-red-700 underline dark:text-red-300">
                Remove this window
              </button>
            </div>
          </div>
        );
      })}
      {allowed ? (
        <div>
          <button
            type="button"
            onClick={() => onChange([...schedules, { name: "", days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "18:00", timeZone: defaultTimeZone(), minQuantity: "1", maxQuantity: "" }])}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Add a schedule window
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
