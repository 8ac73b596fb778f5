-- Why a scale event's Heroku call failed, in the engine's failure kinds (lib/checks/failure-kind.ts).
ALTER TABLE "scale_events" ADD COLUMN "error_kind" TEXT;
