-- metric_samples becomes a table partitioned by day on sampled_at (native declarative
-- partitioning), keeping every row. Retention then drops whole days (DROP TABLE of a
-- partition) instead of deleting rows, and the upkeep job creates each day's partition ahead
-- of time (lib/checks/sample-partitions.ts). A partitioned table's primary key must hold the
-- partition key, so it is (id, sampled_at); id still comes from the same sequence.

ALTER TABLE "metric_samples" RENAME TO "metric_samples_unpartitioned";
ALTER TABLE "metric_samples_unpartitioned" RENAME CONSTRAINT "metric_samples_pkey" TO "metric_samples_unpartitioned_pkey";
ALTER TABLE "metric_samples_unpartitioned" RENAME CONSTRAINT "metric_samples_tenant_id_fkey" TO "metric_samples_unpartitioned_tenant_id_fkey";
ALTER INDEX "metric_samples_tenant_id_process_type_resolution_sampled_at_idx" RENAME TO "metric_samples_unpartitioned_lookup_idx";

CREATE TABLE "metric_samples" (
    "id" BIGINT NOT NULL DEFAULT nextval('metric_samples_id_seq'),
    "tenant_id" UUID NOT NULL,
    "process_type" TEXT NOT NULL,
    "resolution" "SampleResolution" NOT NULL DEFAULT 'raw',
    "sampled_at" TIMESTAMPTZ(3) NOT NULL,
    "depth" INTEGER NOT NULL,
    "latency_ms" INTEGER,
    "busy" INTEGER,
    "scheduled" INTEGER,
    "retries" INTEGER,
    "dynos" INTEGER,

    CONSTRAINT "metric_samples_pkey" PRIMARY KEY ("id", "sampled_at")
) PARTITION BY RANGE ("sampled_at");
ALTER SEQUENCE "metric_samples_id_seq" OWNED BY "metric_samples"."id";

CREATE INDEX "metric_samples_tenant_id_process_type_resolution_sampled_at_idx" ON "metric_samples"("tenant_id", "process_type", "resolution", "sampled_at");
ALTER TABLE "metric_samples" ADD CONSTRAINT "metric_samples_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rows outside every day partition land here: a day whose partition the upkeep job has not
-- created yet (it creates them days ahead), or a sample stamped far in the future. Retention
-- deletes old rows from it like from any table; it stays empty when the upkeep job runs.
CREATE TABLE "metric_samples_default" PARTITION OF "metric_samples" DEFAULT;

-- One partition per UTC day that has rows, and for today and the next three days.
DO $$
DECLARE
  day DATE;
BEGIN
  FOR day IN
    SELECT DISTINCT (sampled_at AT TIME ZONE 'UTC')::date FROM "metric_samples_unpartitioned"
    UNION
    SELECT ((now() AT TIME ZONE 'UTC')::date + offset_days) FROM generate_series(0, 3) AS offset_days
  LOOP
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF "metric_samples" FOR VALUES FROM (%L) TO (%L)',
      'metric_samples_p' || to_char(day, 'YYYYMMDD'),
      (day::timestamp AT TIME ZONE 'UTC'),
      ((day + 1)::timestamp AT TIME ZONE 'UTC')
    );
  END LOOP;
END
$$;

INSERT INTO "metric_samples" SELECT * FROM "metric_samples_unpartitioned";
DROP TABLE "metric_samples_unpartitioned";
