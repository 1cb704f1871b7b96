-- V004: ranks without counting everyone above. rank_counts holds how many members of a
-- server's board ('received': diamonds, 'gifted': coins) and period sit in each rank bucket: a
-- total kept to its first digit (12,345 -> 10,000; below 10 the total itself; spelled out
-- below as the CASE expression, the same as economy.storage.queries.rank_bucket). A rank is
-- then 1 + the members in higher buckets + the few above in one's own bucket. Triggers on the
-- totals keep it in the same transaction as every write that moves a total; a member with
-- nothing (total 0) is in no bucket. `stripe` spreads a bucket over several rows on
-- PostgreSQL (concurrent writers); one process writes SQLite, so it is always 0 here.
CREATE TABLE rank_counts (
    guild_id   INTEGER NOT NULL,
    board      TEXT NOT NULL CHECK (board IN ('received', 'gifted')),
    period_key TEXT NOT NULL,
    bucket     INTEGER NOT NULL,
    stripe     INTEGER NOT NULL DEFAULT 0,
    members    INTEGER NOT NULL CHECK (members >= 0),
    PRIMARY KEY (guild_id, board, period_key, bucket, stripe)
) WITHOUT ROWID;

INSERT INTO rank_counts (guild_id, board, period_key, bucket, members)
SELECT guild_id, 'received', period_key, CASE WHEN diamonds_milli < 10 THEN diamonds_milli ELSE CAST(substr(CAST(diamonds_milli AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(diamonds_milli AS TEXT)) - 1) AS BIGINT) END, COUNT(*)
FROM received_totals WHERE diamonds_milli > 0
GROUP BY guild_id, period_key, CASE WHEN diamonds_milli < 10 THEN diamonds_milli ELSE CAST(substr(CAST(diamonds_milli AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(diamonds_milli AS TEXT)) - 1) AS BIGINT) END;

INSERT INTO rank_counts (guild_id, board, period_key, bucket, members)
SELECT guild_id, 'gifted', period_key, CASE WHEN coins < 10 THEN coins ELSE CAST(substr(CAST(coins AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(coins AS TEXT)) - 1) AS BIGINT) END, COUNT(*)
FROM gifter_totals WHERE coins > 0
GROUP BY guild_id, period_key, CASE WHEN coins < 10 THEN coins ELSE CAST(substr(CAST(coins AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(coins AS TEXT)) - 1) AS BIGINT) END;

CREATE TRIGGER received_totals_rank_new AFTER INSERT ON received_totals
WHEN NEW.diamonds_milli > 0
BEGIN
    INSERT INTO rank_counts (guild_id, board, period_key, bucket, members)
    VALUES (NEW.guild_id, 'received', NEW.period_key,
            CASE WHEN NEW.diamonds_milli < 10 THEN NEW.diamonds_milli ELSE CAST(substr(CAST(NEW.diamonds_milli AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(NEW.diamonds_milli AS TEXT)) - 1) AS BIGINT) END, 1)
    ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
        members = members + 1;
END;

CREATE TRIGGER received_totals_rank_moved AFTER UPDATE OF diamonds_milli ON received_totals
WHEN (CASE WHEN OLD.diamonds_milli > 0 THEN CASE WHEN OLD.diamonds_milli < 10 THEN OLD.diamonds_milli ELSE CAST(substr(CAST(OLD.diamonds_milli AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(OLD.diamonds_milli AS TEXT)) - 1) AS BIGINT) END END)
  IS NOT (CASE WHEN NEW.diamonds_milli > 0 THEN CASE WHEN NEW.diamonds_milli < 10 THEN NEW.diamonds_milli ELSE CAST(substr(CAST(NEW.diamonds_milli AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(NEW.diamonds_milli AS TEXT)) - 1) AS BIGINT) END END)
BEGIN
    UPDATE rank_counts SET members = members - 1
    WHERE OLD.diamonds_milli > 0 AND guild_id = OLD.guild_id AND board = 'received'
      AND period_key = OLD.period_key AND stripe = 0
      AND bucket = CASE WHEN OLD.diamonds_milli < 10 THEN OLD.diamonds_milli ELSE CAST(substr(CAST(OLD.diamonds_milli AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(OLD.diamonds_milli AS TEXT)) - 1) AS BIGINT) END;
    INSERT INTO rank_counts (guild_id, board, period_key, bucket, members)
    SELECT NEW.guild_id, 'received', NEW.period_key,
           CASE WHEN NEW.diamonds_milli < 10 THEN NEW.diamonds_milli ELSE CAST(substr(CAST(NEW.diamonds_milli AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(NEW.diamonds_milli AS TEXT)) - 1) AS BIGINT) END, 1
    WHERE NEW.diamonds_milli > 0
    ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
        members = members + 1;
END;

CREATE TRIGGER received_totals_rank_gone AFTER DELETE ON received_totals
WHEN OLD.diamonds_milli > 0
BEGIN
    UPDATE rank_counts SET members = members - 1
    WHERE guild_id = OLD.guild_id AND board = 'received' AND period_key = OLD.period_key
      AND stripe = 0 AND bucket = CASE WHEN OLD.diamonds_milli < 10 THEN OLD.diamonds_milli ELSE CAST(substr(CAST(OLD.diamonds_milli AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(OLD.diamonds_milli AS TEXT)) - 1) AS BIGINT) END;
END;

CREATE TRIGGER gifter_totals_rank_new AFTER INSERT ON gifter_totals
WHEN NEW.coins > 0
BEGIN
    INSERT INTO rank_counts (guild_id, board, period_key, bucket, members)
    VALUES (NEW.guild_id, 'gifted', NEW.period_key,
            CASE WHEN NEW.coins < 10 THEN NEW.coins ELSE CAST(substr(CAST(NEW.coins AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(NEW.coins AS TEXT)) - 1) AS BIGINT) END, 1)
    ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
        members = members + 1;
END;

CREATE TRIGGER gifter_totals_rank_moved AFTER UPDATE OF coins ON gifter_totals
WHEN (CASE WHEN OLD.coins > 0 THEN CASE WHEN OLD.coins < 10 THEN OLD.coins ELSE CAST(substr(CAST(OLD.coins AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(OLD.coins AS TEXT)) - 1) AS BIGINT) END END)
  IS NOT (CASE WHEN NEW.coins > 0 THEN CASE WHEN NEW.coins < 10 THEN NEW.coins ELSE CAST(substr(CAST(NEW.coins AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(NEW.coins AS TEXT)) - 1) AS BIGINT) END END)
BEGIN
    UPDATE rank_counts SET members = members - 1
    WHERE OLD.coins > 0 AND guild_id = OLD.guild_id AND board = 'gifted'
      AND period_key = OLD.period_key AND stripe = 0
      AND bucket = CASE WHEN OLD.coins < 10 THEN OLD.coins ELSE CAST(substr(CAST(OLD.coins AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(OLD.coins AS TEXT)) - 1) AS BIGINT) END;
    INSERT INTO rank_counts (guild_id, board, period_key, bucket, members)
    SELECT NEW.guild_id, 'gifted', NEW.period_key,
           CASE WHEN NEW.coins < 10 THEN NEW.coins ELSE CAST(substr(CAST(NEW.coins AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(NEW.coins AS TEXT)) - 1) AS BIGINT) END, 1
    WHERE NEW.coins > 0
    ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
        members = members + 1;
END;

CREATE TRIGGER gifter_totals_rank_gone AFTER DELETE ON gifter_totals
WHEN OLD.coins > 0
BEGIN
    UPDATE rank_counts SET members = members - 1
    WHERE guild_id = OLD.guild_id AND board = 'gifted' AND period_key = OLD.period_key
      AND stripe = 0 AND bucket = CASE WHEN OLD.coins < 10 THEN OLD.coins ELSE CAST(substr(CAST(OLD.coins AS TEXT), 1, 1) || substr('000000000000000000', 1, length(CAST(OLD.coins AS TEXT)) - 1) AS BIGINT) END;
END;
