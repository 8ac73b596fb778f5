-- Each add-on tenant subscribes to its add-on's webhooks (api:formation, api:dyno) with a
-- secret of its own, sealed; when the webhooks last proved to work, and why they need attention.
ALTER TABLE "tenants" ADD COLUMN "heroku_webhook_id" UUID,
                      ADD COLUMN "heroku_webhook_secret_sealed" TEXT,
                      ADD COLUMN "heroku_webhook_checked_at" TIMESTAMPTZ(3),
                      ADD COLUMN "heroku_webhook_problem" TEXT;

-- Deliveries accepted, by event id and delivery id, so a replay is refused.
CREATE TABLE "heroku_webhook_receipts" (
    "event_id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "include" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "heroku_webhook_receipts_pkey" PRIMARY KEY ("event_id")
);
CREATE UNIQUE INDEX "heroku_webhook_receipts_delivery_id_key" ON "heroku_webhook_receipts"("delivery_id");
CREATE INDEX "heroku_webhook_receipts_received_at_idx" ON "heroku_webhook_receipts"("received_at");
CREATE INDEX "heroku_webhook_receipts_tenant_id_idx" ON "heroku_webhook_receipts"("tenant_id");
ALTER TABLE "heroku_webhook_receipts" ADD CONSTRAINT "heroku_webhook_receipts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
