-- A top-level comment is the root of its own thread: its root_id is its own id. The id comes from the
-- column's default, which is filled in before this trigger runs, so the comment is written whole in
-- one statement instead of an insert followed by an update. Replies name their root; this leaves it.
CREATE OR REPLACE FUNCTION threadline_comment_root() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.root_id := coalesce(NEW.root_id, NEW.id);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER comments_root BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION threadline_comment_root();
