/** "$1,234.56" */
export function formatDollars(dollars: number): string {
  return dollars.toLocaleString("en-US", { style: "currency", currency: "USD" });
}

/** "1,234.5" */
export function formatHours(hours: number): string {
  return hours.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

/** "November 2026" */
export function formatMonth(at: Date): string {
  return at.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}
