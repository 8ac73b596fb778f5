import type { Savings } from "@/lib/billing/compute-savings";
import { formatDollars, formatHours, formatMonth } from "./format";

/** One month's dyno use against running every process type at its maximum. */
export function SavingsTable({ savings, month }: { savings: Savings; month: Date }) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="font-semibold">{formatMonth(month)}</h3>
      {savings.processTypes.length === 0 ? (
        <p className="text-slate-600 dark:text-slate-300">No process types autoscaled this month.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500 dark:text-slate-400">
            <tr>
              <th className="py-1">Process type</th>
              <th className="py-1">Size</th>
              <th className="py-1 text-right">Dyno-hours</th>
              <th className="py-1 text-right">Cost</th>
              <th className="py-1 text-right">At max</th>
              <th className="py-1 text-right">Saved</th>
            </tr>
          </thead>
          <tbody>
            {savings.processTypes.map((line) => (
              <tr key={line.processType} className="border-t border-slate-200 dark:border-slate-800">
                <td className="py-1 font-mono">{line.processType}</td>
                <td className="py-1">{line.dynoSize}</td>
                <td className="py-1 text-right">{formatHours(line.usedDynoSeconds / 3600)}</td>
                <td className="py-1 text-right">{formatDollars(line.usedDollars)}</td>
                <td className="py-1 text-right">{formatDollars(line.atMaxDollars)}</td>
                <td className="py-1 text-right">{formatDollars(line.savedDollars)}</td>
              </tr>
            ))}
            <tr className="border-t border-slate-300 font-semibold dark:border-slate-700">
              <td className="py-1" colSpan={2}>
                Total
              </td>
              <td className="py-1 text-right">{formatHours(savings.usedDynoHours)}</td>
              <td className="py-1 text-right">{formatDollars(savings.usedDollars)}</td>
              <td className="py-1 text-right">{formatDollars(savings.atMaxDollars)}</td>
              <td className="py-1 text-right">{formatDollars(savings.savedDollars)}</td>
            </tr>
          </tbody>
        </table>
      )}
    </section>
  );
}
