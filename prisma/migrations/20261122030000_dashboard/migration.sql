-- Dashboard: notification settings and deliveries, and an index for paging scale events by id.
-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('email', 'webhook');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('sent', 'failed', 'would_send');

-- CreateTable
CREATE TABLE "notification_settings" (
    "tenant_id" UUID NOT NULL,
    "emails" JSONB NOT NULL DEFAULT '[]',
    "webhook_url_sealed" TEXT,
    "webhook_host" TEXT,
    "on_failure" BOOLEAN NOT NULL DEFAULT true,
    "on_max" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "kind" TEXT NOT NULL,
    "process_type" TEXT,
    "status" "NotificationStatus" NOT NULL,
    "message" TEXT NOT NULL,
    "detail" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_deliveries_tenant_id_kind_occurred_at_idx" ON "notification_deliveries"("tenant_id", "kind", "occurred_at");

-- CreateIndex
CREATE INDEX "scale_events_tenant_id_id_idx" ON "scale_events"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

