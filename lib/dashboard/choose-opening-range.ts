import { db } from "@/lib/db/client";
import { openingChartRange, type ChartRange } from "@/lib/dashboard/chart-ranges";

/** The range a tenant's overview opens on, from the age of its oldest recorded sample. */
export async function chooseOpeningRange(tenantId: string, now: Date): Promise<ChartRange> {
  const oldest = await db.metricSample.findFirst({
    where: { tenantId },
    orderBy: { sampledAt: "asc" },
    select: { sampledAt: true },
  });
  return openingChartRange(oldest ? oldest.sampledAt.getTime() : null, now.getTime());
}
