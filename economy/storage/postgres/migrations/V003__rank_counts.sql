-- V003 (SQLite's V004): ranks without counting everyone above. rank_counts holds how many
-- members of a server's board ('received': diamonds, 'gifted': coins) and period sit in each
-- rank bucket (rank_bucket: a total kept to its first digit, 12,345 -> 10,000; below 10 the
-- total itself; the same as economy.storage.queries.rank_bucket). A rank is then 1 + the
-- members in higher buckets + the few above in one's own bucket.
--
-- The totals triggers (ledger_count, ledger_uncount) move a member between buckets in the
-- statement after the one that moves their totals: one INSERT for all three periods, its
-- rows in (period, bucket) order, so concurrent writes take bucket rows in one order and two
-- writes of one entry each never deadlock (a reset step of many entries may; PostgreSQL then
-- aborts one and the storage retries it). A bucket is spread over 8 stripes (by member) so
-- concurrent writes in one server seldom wait on the same row. The INSERT adds -1 to the
-- bucket left and +1 to the one entered in one go, so `members` has no CHECK (PostgreSQL
-- checks a proposed row before it finds the conflict); verify() recomputes the counts. Bulk
-- loads that bypass the triggers recount (economy/storage/postgres/rank_counts.py).
CREATE TABLE rank_counts (
    guild_id   BIGINT NOT NULL,
    board      TEXT COLLATE "C" NOT NULL CHECK (board IN ('received', 'gifted')),
    period_key TEXT COLLATE "C" NOT NULL,
    bucket     BIGINT NOT NULL,
    stripe     SMALLINT NOT NULL DEFAULT 0 CHECK (stripe BETWEEN 0 AND 7),
    members    BIGINT NOT NULL,
    PRIMARY KEY (guild_id, board, period_key, bucket, stripe)
);

-- Not STRICT, so the planner inlines it.
CREATE FUNCTION rank_bucket(v BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v < 10 THEN v ELSE CAST(substr(CAST(v AS TEXT), 1, 1)
        || substr('000000000000000000', 1, length(CAST(v AS TEXT)) - 1) AS BIGINT) END
$$;

CREATE OR REPLACE FUNCTION ledger_count(e ledger) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH moved AS (
        INSERT INTO received_totals AS t (guild_id, user_id, period_key, diamonds_milli, coins,
                                          entries)
        SELECT e.guild_id, e.recipient_id, p.period_key, e.diamonds_milli, e.coins, 1
        FROM unnest(ARRAY['all', e.month_key, e.week_key]::text[]) AS p (period_key)
        ORDER BY p.period_key COLLATE "C"
        ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET
            diamonds_milli = t.diamonds_milli + excluded.diamonds_milli,
            coins = t.coins + excluded.coins,
            entries = t.entries + 1
        RETURNING t.period_key, t.diamonds_milli - e.diamonds_milli AS was,
                  t.diamonds_milli AS now)
    INSERT INTO rank_counts AS c (guild_id, board, period_key, bucket, stripe, members)
    SELECT e.guild_id, 'received', m.period_key, d.bucket, (e.recipient_id % 8)::smallint,
           d.delta
    FROM moved m CROSS JOIN LATERAL (VALUES (rank_bucket(NULLIF(m.was, 0)), -1),
                                            (rank_bucket(NULLIF(m.now, 0)), 1)) AS d (bucket, delta)
    WHERE d.bucket IS NOT NULL
      AND rank_bucket(NULLIF(m.was, 0)) IS DISTINCT FROM rank_bucket(NULLIF(m.now, 0))
    ORDER BY m.period_key COLLATE "C", d.bucket
    ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
        members = c.members + excluded.members;

    IF e.gifter_key IS NOT NULL THEN
        WITH moved AS (
            INSERT INTO gifter_totals AS t (guild_id, gifter_key, period_key, name, coins,
                                            diamonds_milli, entries)
            SELECT e.guild_id, e.gifter_key, p.period_key, e.gifter_name, e.coins,
                   e.diamonds_milli, 1
            FROM unnest(ARRAY['all', e.month_key, e.week_key]::text[]) AS p (period_key)
            ORDER BY p.period_key COLLATE "C"
            ON CONFLICT (guild_id, gifter_key, period_key) DO UPDATE SET
                name = COALESCE(excluded.name, t.name),
                coins = t.coins + excluded.coins,
                diamonds_milli = t.diamonds_milli + excluded.diamonds_milli,
                entries = t.entries + 1
            RETURNING t.period_key, t.coins - e.coins AS was, t.coins AS now)
        INSERT INTO rank_counts AS c (guild_id, board, period_key, bucket, stripe, members)
        SELECT e.guild_id, 'gifted', m.period_key, d.bucket,
               (ascii(right(e.gifter_key, 1)) & 7)::smallint, d.delta
        FROM moved m CROSS JOIN LATERAL (VALUES (rank_bucket(NULLIF(m.was, 0)), -1),
                                                (rank_bucket(NULLIF(m.now, 0)), 1))
                                        AS d (bucket, delta)
        WHERE d.bucket IS NOT NULL
          AND rank_bucket(NULLIF(m.was, 0)) IS DISTINCT FROM rank_bucket(NULLIF(m.now, 0))
        ORDER BY m.period_key COLLATE "C", d.bucket
        ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
            members = c.members + excluded.members;
    END IF;

    IF e.gift_name IS NOT NULL THEN
        INSERT INTO gift_totals AS t (guild_id, recipient_id, gift_name, count, diamonds_milli)
        VALUES (e.guild_id, e.recipient_id, e.gift_name, e.count, e.diamonds_milli)
        ON CONFLICT (guild_id, recipient_id, gift_name) DO UPDATE SET
            count = t.count + excluded.count,
            diamonds_milli = t.diamonds_milli + excluded.diamonds_milli;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION ledger_uncount(e ledger) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH moved AS (
        UPDATE received_totals SET
            diamonds_milli = diamonds_milli - e.diamonds_milli,
            coins = coins - e.coins,
            entries = entries - 1
        WHERE guild_id = e.guild_id AND user_id = e.recipient_id
          AND period_key IN ('all', e.month_key, e.week_key)
        RETURNING period_key, diamonds_milli + e.diamonds_milli AS was, diamonds_milli AS now)
    INSERT INTO rank_counts AS c (guild_id, board, period_key, bucket, stripe, members)
    SELECT e.guild_id, 'received', m.period_key, d.bucket, (e.recipient_id % 8)::smallint,
           d.delta
    FROM moved m CROSS JOIN LATERAL (VALUES (rank_bucket(NULLIF(m.was, 0)), -1),
                                            (rank_bucket(NULLIF(m.now, 0)), 1)) AS d (bucket, delta)
    WHERE d.bucket IS NOT NULL
      AND rank_bucket(NULLIF(m.was, 0)) IS DISTINCT FROM rank_bucket(NULLIF(m.now, 0))
    ORDER BY m.period_key COLLATE "C", d.bucket
    ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
        members = c.members + excluded.members;

    WITH moved AS (
        UPDATE gifter_totals SET
            coins = coins - e.coins,
            diamonds_milli = diamonds_milli - e.diamonds_milli,
            entries = entries - 1
        WHERE guild_id = e.guild_id AND gifter_key = e.gifter_key
          AND period_key IN ('all', e.month_key, e.week_key)
        RETURNING period_key, coins + e.coins AS was, coins AS now)
    INSERT INTO rank_counts AS c (guild_id, board, period_key, bucket, stripe, members)
    SELECT e.guild_id, 'gifted', m.period_key, d.bucket,
           (ascii(right(e.gifter_key, 1)) & 7)::smallint, d.delta
    FROM moved m CROSS JOIN LATERAL (VALUES (rank_bucket(NULLIF(m.was, 0)), -1),
                                            (rank_bucket(NULLIF(m.now, 0)), 1)) AS d (bucket, delta)
    WHERE d.bucket IS NOT NULL
      AND rank_bucket(NULLIF(m.was, 0)) IS DISTINCT FROM rank_bucket(NULLIF(m.now, 0))
    ORDER BY m.period_key COLLATE "C", d.bucket
    ON CONFLICT (guild_id, board, period_key, bucket, stripe) DO UPDATE SET
        members = c.members + excluded.members;

    UPDATE gift_totals SET
        count = count - e.count,
        diamonds_milli = diamonds_milli - e.diamonds_milli
    WHERE guild_id = e.guild_id AND recipient_id = e.recipient_id
      AND gift_name = e.gift_name;
END $$;

-- Unchanged in what it returns; a name and avatar already stored are no longer written again
-- (each /tally add rewrote up to three member_names rows; `seen_at` is now when a name and
-- avatar were first seen so).
CREATE OR REPLACE FUNCTION tally_add(
    p_guild_id BIGINT, p_recipient_id BIGINT, p_gifter_key TEXT, p_gifter_name TEXT,
    p_recorder_id BIGINT, p_gift_name TEXT, p_count INTEGER, p_coins BIGINT,
    p_diamonds_milli BIGINT, p_created_at TIMESTAMPTZ, p_month_key TEXT, p_week_key TEXT,
    p_seen_ids BIGINT[], p_seen_names TEXT[], p_seen_avatars TEXT[]
) RETURNS TABLE (entry_id BIGINT, recipient_total BIGINT) LANGUAGE plpgsql AS $$
DECLARE
    new_id BIGINT;
BEGIN
    INSERT INTO ledger (guild_id, recipient_id, gifter_key, gifter_name, recorder_id,
                        gift_name, count, coins, diamonds_milli, created_at, month_key,
                        week_key)
    VALUES (p_guild_id, p_recipient_id, p_gifter_key, p_gifter_name, p_recorder_id,
            p_gift_name, p_count, p_coins, p_diamonds_milli, p_created_at, p_month_key,
            p_week_key)
    RETURNING id INTO new_id;
    IF cardinality(p_seen_ids) > 0 THEN
        INSERT INTO member_names AS n (guild_id, user_id, name, avatar, seen_at)
        SELECT p_guild_id, s.user_id, s.name, s.avatar, p_created_at
        FROM unnest(p_seen_ids, p_seen_names, p_seen_avatars) AS s (user_id, name, avatar)
        ORDER BY s.user_id
        ON CONFLICT (guild_id, user_id) DO UPDATE SET
            name = excluded.name, avatar = excluded.avatar, seen_at = excluded.seen_at
        WHERE (n.name, n.avatar) IS DISTINCT FROM (excluded.name, excluded.avatar);
    END IF;
    RETURN QUERY SELECT new_id, (SELECT t.diamonds_milli FROM received_totals t
        WHERE t.guild_id = p_guild_id AND t.user_id = p_recipient_id AND t.period_key = 'all');
END $$;

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
