ALTER TYPE "public"."moderation_action" ADD VALUE 'slow_mode';--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "slow_mode_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "held_rule" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "held_detail" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "moderation_reason" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "suspension_reason" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "always_premoderate" boolean DEFAULT false NOT NULL;