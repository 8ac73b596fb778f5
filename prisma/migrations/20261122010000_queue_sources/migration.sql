-- CreateEnum
CREATE TYPE "SourceMode" AS ENUM ('probe', 'push');

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "time_zone" TEXT NOT NULL DEFAULT 'UTC';

-- CreateTable
CREATE TABLE "queue_sources" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "process_type" TEXT NOT NULL,
    "mode" "SourceMode" NOT NULL,
    "backend" TEXT,
    "config_sealed" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "queue_sources_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "queue_sources_tenant_id_process_type_key" ON "queue_sources"("tenant_id", "process_type");

-- AddForeignKey
ALTER TABLE "queue_sources" ADD CONSTRAINT "queue_sources_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

