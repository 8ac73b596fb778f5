-- Web dynos: each check's sample of a web process type carries the request rate of the last
-- window and the queue-time percentiles over the rule's window (every dyno's reports
-- combined). Null for queue process types. On the partitioned parent, so every day's
-- partition gets them.
-- AlterTable
ALTER TABLE "metric_samples" ADD COLUMN "requests_per_minute" DOUBLE PRECISION,
ADD COLUMN "queue_time_p50_ms" DOUBLE PRECISION,
ADD COLUMN "queue_time_p95_ms" DOUBLE PRECISION,
ADD COLUMN "queue_time_p99_ms" DOUBLE PRECISION;
