-- Never kill a job: scaling mode per process type (formation with quiet-then-drop, or
-- one-off dynos), the drain limit, the one-off command, size and time-to-live, and the
-- opt-in sealed write URL a source uses to quiet dynos.
-- CreateEnum
CREATE TYPE "ScalingMode" AS ENUM ('formation', 'one-off');

-- AlterTable
ALTER TABLE "process_rules" ADD COLUMN "mode" "ScalingMode" NOT NULL DEFAULT 'formation',
ADD COLUMN "drain_limit_seconds" INTEGER NOT NULL DEFAULT 900,
ADD COLUMN "one_off_command" TEXT,
ADD COLUMN "one_off_size" TEXT,
ADD COLUMN "one_off_time_to_live_seconds" INTEGER;

-- AlterTable
ALTER TABLE "queue_sources" ADD COLUMN "quiet_url_sealed" TEXT;
