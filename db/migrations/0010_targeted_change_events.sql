-- Change events say what changed, so that each app instance drops only the pages that show it. A
-- discussion write names its story and a scope: 'story' when only that story's pages show it (a vote,
-- a score, a reply count), 'discussion' when the lists that count comments show it too (a comment
-- added, removed or moderated, a story's comment count), 'chip-pages' for a chip mention. Events
-- without a scope drop every page. A member's row announces itself only when something readers see
-- of it changes (a name, a role, a deletion), not at a sign-up or when a preference is saved.
-- Row-level triggers, because only rows know their story; NOTIFY folds identical payloads within a
-- transaction, so a bulk write still sends one event per story and scope.
CREATE OR REPLACE FUNCTION threadline_announce_story_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  story text;
  scope text;
BEGIN
  IF TG_TABLE_NAME = 'comment_votes' THEN
    SELECT a.slug INTO story FROM comments c JOIN articles a ON a.id = c.article_id
      WHERE c.id = COALESCE(NEW.comment_id, OLD.comment_id);
    scope := 'story';
  ELSIF TG_TABLE_NAME = 'articles' THEN
    story := NEW.slug;
    -- Anything but the comment count may be shown anywhere: every page goes.
    IF (to_jsonb(OLD) - 'comment_count') IS DISTINCT FROM (to_jsonb(NEW) - 'comment_count') THEN
      PERFORM pg_notify('threadline_events', json_build_object('type', 'data-changed', 'table', TG_TABLE_NAME)::text);
      RETURN NULL;
    END IF;
    scope := 'discussion';
  ELSE
    SELECT a.slug INTO story FROM articles a WHERE a.id = COALESCE(NEW.article_id, OLD.article_id);
    IF TG_TABLE_NAME = 'chip_mentions' THEN
      scope := 'chip-pages';
    ELSIF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - 'score' - 'reply_count') IS NOT DISTINCT FROM (to_jsonb(NEW) - 'score' - 'reply_count') THEN
      scope := 'story';
    ELSE
      scope := 'discussion';
    END IF;
  END IF;
  PERFORM pg_notify('threadline_events', json_build_object('type', 'data-changed', 'table', TG_TABLE_NAME, 'story', story, 'scope', scope)::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS articles_announce ON articles;
--> statement-breakpoint
DROP TRIGGER IF EXISTS comments_announce ON comments;
--> statement-breakpoint
DROP TRIGGER IF EXISTS comment_votes_announce ON comment_votes;
--> statement-breakpoint
DROP TRIGGER IF EXISTS chip_mentions_announce ON chip_mentions;
--> statement-breakpoint
DROP TRIGGER IF EXISTS users_announce ON users;
--> statement-breakpoint
CREATE TRIGGER articles_announce AFTER INSERT OR DELETE OR TRUNCATE ON articles FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER articles_announce_update AFTER UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION threadline_announce_story_change();
--> statement-breakpoint
CREATE TRIGGER comments_announce AFTER INSERT OR UPDATE OR DELETE ON comments FOR EACH ROW EXECUTE FUNCTION threadline_announce_story_change();
--> statement-breakpoint
CREATE TRIGGER comment_votes_announce AFTER INSERT OR UPDATE OR DELETE ON comment_votes FOR EACH ROW EXECUTE FUNCTION threadline_announce_story_change();
--> statement-breakpoint
CREATE TRIGGER chip_mentions_announce AFTER INSERT OR UPDATE OR DELETE ON chip_mentions FOR EACH ROW EXECUTE FUNCTION threadline_announce_story_change();
--> statement-breakpoint
-- A truncate has no rows to name: it announces the table, and every page goes.
CREATE TRIGGER comments_announce_truncate AFTER TRUNCATE ON comments FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER comment_votes_announce_truncate AFTER TRUNCATE ON comment_votes FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER chip_mentions_announce_truncate AFTER TRUNCATE ON chip_mentions FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER users_announce AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.username IS DISTINCT FROM NEW.username
    OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.role IS DISTINCT FROM NEW.role)
  EXECUTE FUNCTION threadline_announce_change();
--> statement-breakpoint
CREATE TRIGGER users_announce_delete AFTER DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION threadline_announce_change();
