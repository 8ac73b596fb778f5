import { fullTime } from "@/app/components/format";

/**
 * A timestamp in the reader's own time zone. The server renders its own zone's time and the
 * browser re-renders it in the reader's, so the mismatch is expected and not a hydration error.
 */
export function LocalTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {fullTime(Date.parse(iso))}
    </time>
  );
}
