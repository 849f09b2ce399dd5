-- Every write to what public pages show announces itself on the events channel, once per statement
-- (NOTIFY folds identical payloads within a transaction and delivers them only on commit). Each app
-- instance listens and drops its cache of rendered pages, so no instance serves a page that a write
-- through another one, or through psql, has made stale.
CREATE OR REPLACE FUNCTION threadline_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('threadline_events', json_build_object('type', 'data-changed', 'table', TG_TABLE_NAME)::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER articles_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER article_tags_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_tags FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER article_chips_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON article_chips FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER tags_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tags FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER chips_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON chips FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER chip_export_events_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON chip_export_events FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER chip_mentions_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON chip_mentions FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER chip_corrections_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON chip_corrections FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER comments_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON comments FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER comment_votes_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON comment_votes FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER users_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER settings_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
