-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('heroku', 'direct');

-- CreateEnum
CREATE TYPE "TenantState" AS ENUM ('provisioning', 'active', 'deprovisioned');

-- CreateEnum
CREATE TYPE "MemberRole" AS ENUM ('owner', 'member');

-- CreateEnum
CREATE TYPE "TokenKind" AS ENUM ('addon', 'scaling');

-- CreateEnum
CREATE TYPE "SampleResolution" AS ENUM ('raw', 'minute', 'hour');

-- CreateEnum
CREATE TYPE "ScaleOutcome" AS ENUM ('applied', 'dry_run', 'not_authorized', 'failed', 'manual');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "heroku_resource_id" UUID,
    "heroku_app_id" UUID,
    "app_name" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "region" TEXT,
    "state" "TenantState" NOT NULL DEFAULT 'provisioning',
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "agent_token_hash" TEXT,
    "agent_token_sealed" TEXT,
    "addon_name" TEXT,
    "callback_url" TEXT,
    "oauth_grant_sealed" TEXT,
    "oauth_grant_expires_at" TIMESTAMPTZ(3),
    "last_check_at" TIMESTAMPTZ(3),
    "last_good_check_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "deprovisioned_at" TIMESTAMPTZ(3),
    "purge_after" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "heroku_user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "MemberRole" NOT NULL DEFAULT 'member',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "process_rules" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "process_type" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "min_dynos" INTEGER NOT NULL DEFAULT 0,
    "max_dynos" INTEGER NOT NULL DEFAULT 1,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "process_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "heroku_tokens" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" "TokenKind" NOT NULL,
    "access_token_sealed" TEXT NOT NULL,
    "refresh_token_sealed" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "scope" TEXT,
    "heroku_user_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "heroku_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_samples" (
    "id" BIGSERIAL NOT NULL,
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

    CONSTRAINT "metric_samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scale_events" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "process_type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "from_quantity" INTEGER NOT NULL,
    "to_quantity" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "outcome" "ScaleOutcome" NOT NULL,
    "api_latency_ms" INTEGER,
    "error" TEXT,

    CONSTRAINT "scale_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_heroku_resource_id_key" ON "tenants"("heroku_resource_id");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_agent_token_hash_key" ON "tenants"("agent_token_hash");

-- CreateIndex
CREATE INDEX "tenants_state_idx" ON "tenants"("state");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "users_heroku_user_id_key" ON "users"("heroku_user_id");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_tenant_id_user_id_key" ON "memberships"("tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "process_rules_tenant_id_process_type_key" ON "process_rules"("tenant_id", "process_type");

-- CreateIndex
CREATE INDEX "heroku_tokens_expires_at_idx" ON "heroku_tokens"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "heroku_tokens_tenant_id_kind_key" ON "heroku_tokens"("tenant_id", "kind");

-- CreateIndex
CREATE INDEX "metric_samples_tenant_id_process_type_resolution_sampled_at_idx" ON "metric_samples"("tenant_id", "process_type", "resolution", "sampled_at");

-- CreateIndex
CREATE INDEX "scale_events_tenant_id_occurred_at_idx" ON "scale_events"("tenant_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_logs_tenant_id_occurred_at_idx" ON "audit_logs"("tenant_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "process_rules" ADD CONSTRAINT "process_rules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "heroku_tokens" ADD CONSTRAINT "heroku_tokens_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_samples" ADD CONSTRAINT "metric_samples_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scale_events" ADD CONSTRAINT "scale_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

