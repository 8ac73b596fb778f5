-- Billing per app: processed Stripe events, a Stripe customer per user, each direct app's
-- subscription item and billing state.
-- CreateEnum
CREATE TYPE "BillingStatus" AS ENUM ('incomplete', 'active', 'past_due', 'suspended', 'canceled');

-- CreateTable
CREATE TABLE "processed_stripe_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_stripe_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_customers" (
    "user_id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "subscription_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stripe_customers_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "tenant_subscriptions" (
    "tenant_id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "subscription_id" TEXT,
    "subscription_item_id" TEXT,
    "plan" TEXT NOT NULL,
    "status" "BillingStatus" NOT NULL DEFAULT 'incomplete',
    "grace_until" TIMESTAMPTZ(3),
    "suspended_at" TIMESTAMPTZ(3),
    "stripe_event_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenant_subscriptions_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stripe_customers_customer_id_key" ON "stripe_customers"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "stripe_customers_subscription_id_key" ON "stripe_customers"("subscription_id");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_subscriptions_subscription_item_id_key" ON "tenant_subscriptions"("subscription_item_id");

-- CreateIndex
CREATE INDEX "tenant_subscriptions_subscription_id_idx" ON "tenant_subscriptions"("subscription_id");

-- CreateIndex
CREATE INDEX "tenant_subscriptions_status_grace_until_idx" ON "tenant_subscriptions"("status", "grace_until");

-- AddForeignKey
ALTER TABLE "stripe_customers" ADD CONSTRAINT "stripe_customers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_subscriptions" ADD CONSTRAINT "tenant_subscriptions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

