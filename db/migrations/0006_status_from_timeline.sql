ALTER TABLE "chips" DROP COLUMN "export_status";--> statement-breakpoint
ALTER TABLE "chips" DROP COLUMN "export_status_since";