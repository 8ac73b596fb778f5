import type { InvoiceLine } from "@/lib/billing/list-owner-invoices";
import { formatDollars } from "./format";

/** The owner's latest Stripe invoices, each linking to Stripe's hosted page. */
export function InvoiceList({ invoices }: { invoices: InvoiceLine[] }) {
  if (invoices.length === 0) return <p className="text-slate-600 dark:text-slate-300">No invoices yet.</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-slate-500 dark:text-slate-400">
        <tr>
          <th className="py-1">Date</th>
          <th className="py-1">Invoice</th>
          <th className="py-1 text-right">Amount</th>
          <th className="py-1">Status</th>
        </tr>
      </thead>
      <tbody>
        {invoices.map((invoice) => (
          <tr key={invoice.id} className="border-t border-slate-200 dark:border-slate-800">
            <td className="py-1">{invoice.createdAt.toISOString().slice(0, 10)}</td>
            <td className="py-1">
              {invoice.url ? (
                <a href={invoice.url} className="text-indigo-600 underline dark:text-indigo-400">
                  {invoice.number ?? invoice.id}
                </a>
              ) : (
                (invoice.number ?? invoice.id)
              )}
            </td>
            <td className="py-1 text-right">
              {invoice.currency === "usd" ? formatDollars(invoice.amountDueCents / 100) : `${invoice.amountDueCents / 100} ${invoice.currency.toUpperCase()}`}
            </td>
            <td className="py-1">{invoice.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
