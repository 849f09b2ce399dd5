-- A comment's reply count now counts its published replies only (held, hidden, removed and deleted
-- replies are not something a reader can open). Counts kept before this counted every reply ever
-- posted, held ones included; they are recounted once, and the app keeps them exact from here on.
UPDATE comments c
SET reply_count = coalesce(r.n, 0)
FROM comments p
LEFT JOIN (
  SELECT parent_id, count(*)::int AS n FROM comments WHERE parent_id IS NOT NULL AND status = 'published' GROUP BY parent_id
) r ON r.parent_id = p.id
WHERE p.id = c.id AND c.reply_count <> coalesce(r.n, 0);
