-- V003 (SQLite's V004): ranks without counting everyone above. rank_counts holds how many
-- members of a server's board ('received': diamonds, 'gifted': coins) and period sit in each
-- rank bucket (rank_bucket: a total kept to its first two digits, 12,345 -> 12,000; below 100
-- the total itself; the same as economy.storage.queries.rank_bucket). A rank is then 1 + the
-- members in higher buckets + the few above in one's own bucket. Triggers on the totals keep it
-- in the same transaction as every write that moves a total; a total of 0 is in no bucket.
-- A bucket is spread over 8 stripes (by member) so that concurrent writes in one server seldom
-- wait on the same row; every write takes its rows in one order (board, period as the totals
-- are touched, bucket ascending), so two writes of one entry each never deadlock. A write of
-- many entries (a reset) may: PostgreSQL then aborts one and the storage retries it.
CREATE TABLE rank_counts (
    guild_id   BIGINT NOT NULL,
    board      TEXT COLLATE "C" NOT NULL CHECK (board IN ('received', 'gifted')),
    period_key TEXT COLLATE "C" NOT NULL,
    bucket     BIGINT NOT NULL,
    stripe     SMALLINT NOT NULL DEFAULT 0 CHECK (stripe BETWEEN 0 AND 7),
    members    BIGINT NOT NULL CHECK (members >= 0),
    PRIMARY KEY (guild_id, board, period_key, bucket, stripe)
);

CREATE FUNCTION rank_bucket(v BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN v < 100 THEN v ELSE CAST(substr(CAST(v AS TEXT), 1, 2)
        || substr('000000000000000000', 1, length(CAST(v AS TEXT)) - 2) AS BIGINT) END
$$;

-- One member of (guild, board, period, stripe) moves from the bucket of `old_total` to that of
-- `new_total` (a total of 0: no bucket); the lower bucket's row is taken first.
CREATE FUNCTION rank_move(
    p_guild BIGINT, p_board TEXT, p_period TEXT, p_stripe SMALLINT,
    old_total BIGINT, new_total BIGINT
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    left_bucket BIGINT := rank_bucket(NULLIF(old_total, 0));
    entered BIGINT := rank_bucket(NULLIF(new_total, 0));
BEGIN
    IF left_bucket IS NOT NULL AND (entered IS NULL OR left_bucket < entered) THEN
        UPDATE rank_counts SET members = members - 1
        WHERE guild_id = p_guild AND board = p_board AND period_key = p_period
          AND bucket = left_bucket AND stripe = p_stripe;
        left_bucket := NULL;
    END IF;
    IF entered IS NOT NULL THEN
        INSERT INTO rank_counts AS c (guild_id, board, period_key, bucket, stripe, members)
        VALUES (p_guild, p_board, p_period, entered, p_stripe, 1)
        ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
            members = c.members + 1;
    END IF;
    IF left_bucket IS NOT NULL THEN
        UPDATE rank_counts SET members = members - 1
        WHERE guild_id = p_guild AND board = p_board AND period_key = p_period
          AND bucket = left_bucket AND stripe = p_stripe;
    END IF;
END $$;

CREATE FUNCTION received_rank() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM rank_move(OLD.guild_id, 'received', OLD.period_key,
                          (OLD.user_id % 8)::smallint, OLD.diamonds_milli, 0);
    ELSE
        PERFORM rank_move(NEW.guild_id, 'received', NEW.period_key,
                          (NEW.user_id % 8)::smallint,
                          CASE WHEN TG_OP = 'UPDATE' THEN OLD.diamonds_milli ELSE 0 END,
                          NEW.diamonds_milli);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION gifted_rank() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM rank_move(OLD.guild_id, 'gifted', OLD.period_key,
                          (ascii(right(OLD.gifter_key, 1)) & 7)::smallint, OLD.coins, 0);
    ELSE
        PERFORM rank_move(NEW.guild_id, 'gifted', NEW.period_key,
                          (ascii(right(NEW.gifter_key, 1)) & 7)::smallint,
                          CASE WHEN TG_OP = 'UPDATE' THEN OLD.coins ELSE 0 END, NEW.coins);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER received_rank_new AFTER INSERT ON received_totals
    FOR EACH ROW WHEN (NEW.diamonds_milli > 0) EXECUTE FUNCTION received_rank();
CREATE TRIGGER received_rank_moved AFTER UPDATE OF diamonds_milli ON received_totals
    FOR EACH ROW WHEN (rank_bucket(NULLIF(OLD.diamonds_milli, 0))
                       IS DISTINCT FROM rank_bucket(NULLIF(NEW.diamonds_milli, 0)))
    EXECUTE FUNCTION received_rank();
CREATE TRIGGER received_rank_gone AFTER DELETE ON received_totals
    FOR EACH ROW WHEN (OLD.diamonds_milli > 0) EXECUTE FUNCTION received_rank();

CREATE TRIGGER gifter_rank_new AFTER INSERT ON gifter_totals
    FOR EACH ROW WHEN (NEW.coins > 0) EXECUTE FUNCTION gifted_rank();
CREATE TRIGGER gifter_rank_moved AFTER UPDATE OF coins ON gifter_totals
    FOR EACH ROW WHEN (rank_bucket(NULLIF(OLD.coins, 0))
                       IS DISTINCT FROM rank_bucket(NULLIF(NEW.coins, 0)))
    EXECUTE FUNCTION gifted_rank();
CREATE TRIGGER gifter_rank_gone AFTER DELETE ON gifter_totals
    FOR EACH ROW WHEN (OLD.coins > 0) EXECUTE FUNCTION gifted_rank();

INSERT INTO rank_counts (guild_id, board, period_key, bucket, stripe, members)
SELECT guild_id, 'received', period_key, rank_bucket(diamonds_milli), (user_id % 8)::smallint,
       COUNT(*)
FROM received_totals WHERE diamonds_milli > 0
GROUP BY guild_id, period_key, rank_bucket(diamonds_milli), (user_id % 8)::smallint;

INSERT INTO rank_counts (guild_id, board, period_key, bucket, stripe, members)
SELECT guild_id, 'gifted', period_key, rank_bucket(coins),
       (ascii(right(gifter_key, 1)) & 7)::smallint, COUNT(*)
FROM gifter_totals WHERE coins > 0
GROUP BY guild_id, period_key, rank_bucket(coins), (ascii(right(gifter_key, 1)) & 7)::smallint;
