import type { BillingNotice } from "@/lib/billing/billing-notice";

/** The payment banner: why autoscaling will stop, or why it has. */
export function BillingBanner({ notice }: { notice: BillingNotice | null }) {
  if (!notice) return null;
  const colors =
    notice.tone === "danger"
      ? "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200"
      : "bg-amber-50 text-amber-950 dark:bg-amber-950 dark:text-amber-100";
  return (
    <p role="alert" className={`rounded-md p-4 ${colors}`}>
      {notice.message}
    </p>
  );
}
