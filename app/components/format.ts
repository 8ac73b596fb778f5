/** Formatting shared by dashboard pages; browser and server agree on every one of these. */

export function formatDollars(dollars: number): string {
  return `$${dollars.toFixed(dollars >= 100 ? 0 : 2)}`;
}

/** 45 s, 12 min, 3.5 h */
export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** The time on the axis: clock time for short ranges, the date for long ones. */
export function axisTime(ms: number, rangeSeconds: number): string {
  const date = new Date(ms);
  return rangeSeconds > 2 * 86_400
    ? date.toLocaleDateString(undefined, { month: "short", day: "numeric" })
    : date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function fullTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
