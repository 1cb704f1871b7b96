-- V002: exact diamonds, who gave a gift (apart from who recorded it), names seen at write time,
-- group join requests, the database's identity, reference exchange rates, renamed presets.
--
-- Diamonds are kept in thousandths (diamonds_milli): 0.5 diamond per coin makes a single Rose
-- worth 500, so no entry loses value to rounding and any set of entries totals exactly what
-- one entry of the same gifts would. Entries written before V002 were rounded down per entry;
-- they keep that value (x 1000).
--
-- Gifters: a member ('u:<id>'), a TikTok name typed as text ('t:<name key>') or unknown (NULL).
-- Entries written before V002 only knew who typed the command: that person becomes the
-- recorder and the gifter is unknown (the old "coins sent" counted recorders, not gifters).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));

CREATE TABLE ledger_v2 (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL CHECK (typeof(guild_id) = 'integer'),
    recipient_id   INTEGER NOT NULL CHECK (typeof(recipient_id) = 'integer'),
    gifter_key     TEXT CHECK (gifter_key IS NULL OR gifter_key GLOB 'u:*' OR gifter_key GLOB 't:*'),
    gifter_name    TEXT CHECK (gifter_name IS NULL OR length(gifter_name) <= 64),
    recorder_id    INTEGER NOT NULL CHECK (typeof(recorder_id) = 'integer'),
    gift_name      TEXT CHECK (gift_name IS NULL OR length(gift_name) <= 100),
    count          INTEGER NOT NULL
                   CHECK (typeof(count) = 'integer' AND count BETWEEN 1 AND 1000000),
    coins          INTEGER NOT NULL
                   CHECK (typeof(coins) = 'integer' AND coins BETWEEN 0 AND 1000000000000),
    diamonds_milli INTEGER NOT NULL
                   CHECK (typeof(diamonds_milli) = 'integer'
                          AND diamonds_milli BETWEEN 0 AND 1000000000000000),
    created_at     TEXT NOT NULL,
    month_key      TEXT NOT NULL,
    week_key       TEXT NOT NULL,
    undone         INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
    archived       INTEGER REFERENCES resets (id)
);
INSERT INTO ledger_v2 (id, guild_id, recipient_id, gifter_key, gifter_name, recorder_id,
                       gift_name, count, coins, diamonds_milli, created_at, month_key,
                       week_key, undone, archived)
SELECT id, guild_id, recipient_id, NULL, NULL, sender_id, gift_name, count, coins,
       diamonds * 1000, created_at, month_key, week_key, undone, archived
FROM ledger;

DROP TRIGGER ledger_count_new;
DROP TRIGGER ledger_recount;
DROP TRIGGER ledger_uncount;
DROP TRIGGER ledger_no_delete;
DROP TRIGGER ledger_immutable;
DROP TABLE ledger;
ALTER TABLE ledger_v2 RENAME TO ledger;

CREATE INDEX ledger_received ON ledger (guild_id, recipient_id, id)
    WHERE undone = 0 AND archived IS NULL;
CREATE INDEX ledger_recorded ON ledger (guild_id, recorder_id, id)
    WHERE undone = 0 AND archived IS NULL;
CREATE INDEX ledger_archived ON ledger (archived) WHERE archived IS NOT NULL;
CREATE INDEX ledger_guild ON ledger (guild_id, id);

-- A reset archives in bounded steps (other servers' writes go on between them): up_to_id is
-- the newest entry it covers (entries added after the confirmation prompt stay), finished_at
-- is set once every step is done. An interrupted reset or restore resumes at the next start.
ALTER TABLE resets ADD COLUMN up_to_id INTEGER;
ALTER TABLE resets ADD COLUMN finished_at TEXT;
UPDATE resets SET finished_at = created_at,
    up_to_id = (SELECT MAX(id) FROM ledger WHERE archived = resets.id);

-- Running totals of what members received, per period ('all', 'M2026-11', 'W2026-47').
-- A member's all-time diamonds are capped (10^13 diamonds) so sums stay exact integers.
DROP TABLE user_totals;
CREATE TABLE received_totals (
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    period_key     TEXT NOT NULL,
    diamonds_milli INTEGER NOT NULL DEFAULT 0,
    coins          INTEGER NOT NULL DEFAULT 0 CHECK (coins >= 0),
    entries        INTEGER NOT NULL DEFAULT 0 CHECK (entries >= 0),
    CONSTRAINT received_total_cap
        CHECK (diamonds_milli BETWEEN 0 AND 10000000000000000),
    PRIMARY KEY (guild_id, user_id, period_key)
) WITHOUT ROWID;
CREATE INDEX received_totals_rank
    ON received_totals (guild_id, period_key, diamonds_milli DESC, user_id);

-- Running totals of what gifters gave (members and TikTok names alike), per period.
CREATE TABLE gifter_totals (
    guild_id       INTEGER NOT NULL,
    gifter_key     TEXT NOT NULL,
    period_key     TEXT NOT NULL,
    name           TEXT,  -- the gifter's name as last written
    coins          INTEGER NOT NULL DEFAULT 0,
    diamonds_milli INTEGER NOT NULL DEFAULT 0 CHECK (diamonds_milli >= 0),
    entries        INTEGER NOT NULL DEFAULT 0 CHECK (entries >= 0),
    CONSTRAINT gifter_total_cap CHECK (coins BETWEEN 0 AND 10000000000000),
    PRIMARY KEY (guild_id, gifter_key, period_key)
) WITHOUT ROWID;
CREATE INDEX gifter_totals_rank ON gifter_totals (guild_id, period_key, coins DESC, gifter_key);

DROP TABLE gift_totals;
CREATE TABLE gift_totals (
    guild_id       INTEGER NOT NULL,
    recipient_id   INTEGER NOT NULL,
    gift_name      TEXT NOT NULL,
    count          INTEGER NOT NULL CHECK (count >= 0),
    diamonds_milli INTEGER NOT NULL CHECK (diamonds_milli >= 0),
    PRIMARY KEY (guild_id, recipient_id, gift_name)
) WITHOUT ROWID;

-- Totals from the active ledger as it stands.
INSERT INTO received_totals (guild_id, user_id, period_key, diamonds_milli, coins, entries)
SELECT guild_id, recipient_id, period_key, SUM(diamonds_milli), SUM(coins), COUNT(*)
FROM (SELECT guild_id, recipient_id, diamonds_milli, coins, 'all' AS period_key FROM ledger
      WHERE undone = 0 AND archived IS NULL
      UNION ALL
      SELECT guild_id, recipient_id, diamonds_milli, coins, month_key FROM ledger
      WHERE undone = 0 AND archived IS NULL
      UNION ALL
      SELECT guild_id, recipient_id, diamonds_milli, coins, week_key FROM ledger
      WHERE undone = 0 AND archived IS NULL)
GROUP BY guild_id, recipient_id, period_key;

INSERT INTO gift_totals (guild_id, recipient_id, gift_name, count, diamonds_milli)
SELECT guild_id, recipient_id, gift_name, SUM(count), SUM(diamonds_milli) FROM ledger
WHERE undone = 0 AND archived IS NULL AND gift_name IS NOT NULL
GROUP BY guild_id, recipient_id, gift_name;

-- Totals triggers. An entry counts while undone = 0 AND archived IS NULL. The received and
-- gifted sides touch different tables, so each statement rewrites only its own index.

CREATE TRIGGER ledger_count_new AFTER INSERT ON ledger
WHEN NEW.undone = 0 AND NEW.archived IS NULL
BEGIN
    INSERT INTO received_totals (guild_id, user_id, period_key, diamonds_milli, coins, entries)
    SELECT NEW.guild_id, NEW.recipient_id, p.period_key, NEW.diamonds_milli, NEW.coins, 1
    FROM (SELECT 'all' AS period_key
          UNION ALL SELECT NEW.month_key
          UNION ALL SELECT NEW.week_key) AS p
    WHERE true
    ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET
        diamonds_milli = diamonds_milli + excluded.diamonds_milli,
        coins = coins + excluded.coins,
        entries = entries + 1;

    INSERT INTO gifter_totals (guild_id, gifter_key, period_key, name, coins, diamonds_milli,
                               entries)
    SELECT NEW.guild_id, NEW.gifter_key, p.period_key, NEW.gifter_name, NEW.coins,
           NEW.diamonds_milli, 1
    FROM (SELECT 'all' AS period_key
          UNION ALL SELECT NEW.month_key
          UNION ALL SELECT NEW.week_key) AS p
    WHERE NEW.gifter_key IS NOT NULL
    ON CONFLICT (guild_id, gifter_key, period_key) DO UPDATE SET
        name = COALESCE(excluded.name, name),
        coins = coins + excluded.coins,
        diamonds_milli = diamonds_milli + excluded.diamonds_milli,
        entries = entries + 1;

    INSERT INTO gift_totals (guild_id, recipient_id, gift_name, count, diamonds_milli)
    SELECT NEW.guild_id, NEW.recipient_id, NEW.gift_name, NEW.count, NEW.diamonds_milli
    WHERE NEW.gift_name IS NOT NULL
    ON CONFLICT (guild_id, recipient_id, gift_name) DO UPDATE SET
        count = count + excluded.count,
        diamonds_milli = diamonds_milli + excluded.diamonds_milli;
END;

CREATE TRIGGER ledger_recount AFTER UPDATE OF undone, archived ON ledger
WHEN NOT (OLD.undone = 0 AND OLD.archived IS NULL) AND (NEW.undone = 0 AND NEW.archived IS NULL)
BEGIN
    INSERT INTO received_totals (guild_id, user_id, period_key, diamonds_milli, coins, entries)
    SELECT NEW.guild_id, NEW.recipient_id, p.period_key, NEW.diamonds_milli, NEW.coins, 1
    FROM (SELECT 'all' AS period_key
          UNION ALL SELECT NEW.month_key
          UNION ALL SELECT NEW.week_key) AS p
    WHERE true
    ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET
        diamonds_milli = diamonds_milli + excluded.diamonds_milli,
        coins = coins + excluded.coins,
        entries = entries + 1;

    INSERT INTO gifter_totals (guild_id, gifter_key, period_key, name, coins, diamonds_milli,
                               entries)
    SELECT NEW.guild_id, NEW.gifter_key, p.period_key, NEW.gifter_name, NEW.coins,
           NEW.diamonds_milli, 1
    FROM (SELECT 'all' AS period_key
          UNION ALL SELECT NEW.month_key
          UNION ALL SELECT NEW.week_key) AS p
    WHERE NEW.gifter_key IS NOT NULL
    ON CONFLICT (guild_id, gifter_key, period_key) DO UPDATE SET
        name = COALESCE(excluded.name, name),
        coins = coins + excluded.coins,
        diamonds_milli = diamonds_milli + excluded.diamonds_milli,
        entries = entries + 1;

    INSERT INTO gift_totals (guild_id, recipient_id, gift_name, count, diamonds_milli)
    SELECT NEW.guild_id, NEW.recipient_id, NEW.gift_name, NEW.count, NEW.diamonds_milli
    WHERE NEW.gift_name IS NOT NULL
    ON CONFLICT (guild_id, recipient_id, gift_name) DO UPDATE SET
        count = count + excluded.count,
        diamonds_milli = diamonds_milli + excluded.diamonds_milli;
END;

CREATE TRIGGER ledger_uncount AFTER UPDATE OF undone, archived ON ledger
WHEN (OLD.undone = 0 AND OLD.archived IS NULL) AND NOT (NEW.undone = 0 AND NEW.archived IS NULL)
BEGIN
    UPDATE received_totals SET
        diamonds_milli = diamonds_milli - OLD.diamonds_milli,
        coins = coins - OLD.coins,
        entries = entries - 1
    WHERE guild_id = OLD.guild_id AND user_id = OLD.recipient_id
      AND period_key IN ('all', OLD.month_key, OLD.week_key);

    UPDATE gifter_totals SET
        coins = coins - OLD.coins,
        diamonds_milli = diamonds_milli - OLD.diamonds_milli,
        entries = entries - 1
    WHERE guild_id = OLD.guild_id AND gifter_key = OLD.gifter_key
      AND period_key IN ('all', OLD.month_key, OLD.week_key);

    UPDATE gift_totals SET
        count = count - OLD.count,
        diamonds_milli = diamonds_milli - OLD.diamonds_milli
    WHERE guild_id = OLD.guild_id AND recipient_id = OLD.recipient_id
      AND gift_name = OLD.gift_name;
END;

CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;

CREATE TRIGGER ledger_immutable BEFORE UPDATE OF id, guild_id, recipient_id, gifter_key,
    gifter_name, recorder_id, gift_name, count, coins, diamonds_milli, created_at, month_key,
    week_key ON ledger
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are immutable; only undone/archived change');
END;

-- The name (and avatar) Discord showed for a person when they last took part in a write:
-- the bot has no members intent, so pictures and posts use the name seen then.
CREATE TABLE member_names (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    name     TEXT NOT NULL CHECK (length(name) <= 100),
    avatar   TEXT CHECK (avatar IS NULL OR length(avatar) <= 300),
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

-- A member's request to join a group, until its creator or a manager decides.
CREATE TABLE group_requests (
    group_id     INTEGER NOT NULL REFERENCES tally_groups (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX tally_groups_creator ON tally_groups (guild_id, creator_id);

-- Exchange rates loaded with `python -m bot fx update FILE` (the newest one is used).
CREATE TABLE reference_rates (
    id        INTEGER PRIMARY KEY,
    as_of     TEXT NOT NULL,
    source    TEXT NOT NULL,
    rates     TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

-- The presets were renamed: 'seed' (the creator guides' figures) is now 'guides', and
-- 'one-to-one' (TikTok's own model) is now 'tiktok'. A server keeps what it chose.
UPDATE guild_settings SET value = 'guides' WHERE key = 'preset' AND value = 'seed';
UPDATE guild_settings SET value = 'tiktok' WHERE key = 'preset' AND value = 'one-to-one';
UPDATE config_audit SET old_value = 'guides' WHERE key = 'preset' AND old_value = 'seed';
UPDATE config_audit SET new_value = 'guides' WHERE key = 'preset' AND new_value = 'seed';
UPDATE config_audit SET old_value = 'tiktok' WHERE key = 'preset' AND old_value = 'one-to-one';
UPDATE config_audit SET new_value = 'tiktok' WHERE key = 'preset' AND new_value = 'one-to-one';
