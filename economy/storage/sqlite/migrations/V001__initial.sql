-- V001: the tally ledger with running totals, archives, groups and per-server settings.
--
-- Invariant: for every (guild, user, period) the row in user_totals equals the SUM over the
-- ACTIVE ledger entries (undone = 0 AND archived IS NULL), and gift_totals likewise per gift.
-- The triggers below keep it inside the statement that changes the ledger, so no code path
-- can forget it and leaderboards never sum the ledger.

-- An archive (a member's tally reset); restored_at is set when it is brought back.
CREATE TABLE resets (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    actor_id    INTEGER NOT NULL,
    entries     INTEGER NOT NULL CHECK (entries >= 0),
    created_at  TEXT NOT NULL,
    restored_at TEXT
);
CREATE INDEX resets_open ON resets (guild_id, user_id, id) WHERE restored_at IS NULL;

-- Append-only: rows are never deleted and only the undone/archived flags ever change.
-- created_at is UTC ISO-8601; month_key / week_key are the UTC periods it counts in.
CREATE TABLE ledger (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    sender_id    INTEGER NOT NULL,
    gift_name    TEXT,
    count        INTEGER NOT NULL CHECK (count >= 1),
    coins        INTEGER NOT NULL CHECK (coins >= 0),
    diamonds     INTEGER NOT NULL CHECK (diamonds >= 0),
    created_at   TEXT NOT NULL,
    month_key    TEXT NOT NULL,
    week_key     TEXT NOT NULL,
    undone       INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
    archived     INTEGER REFERENCES resets (id)
);
CREATE INDEX ledger_received ON ledger (guild_id, recipient_id, id)
    WHERE undone = 0 AND archived IS NULL;
CREATE INDEX ledger_sent ON ledger (guild_id, sender_id, id)
    WHERE undone = 0 AND archived IS NULL;
CREATE INDEX ledger_archived ON ledger (archived) WHERE archived IS NOT NULL;

-- Running totals per member and period ('all', 'M2026-11', 'W2026-47').
CREATE TABLE user_totals (
    guild_id          INTEGER NOT NULL,
    user_id           INTEGER NOT NULL,
    period_key        TEXT NOT NULL,
    diamonds_received INTEGER NOT NULL DEFAULT 0 CHECK (diamonds_received >= 0),
    coins_received    INTEGER NOT NULL DEFAULT 0 CHECK (coins_received >= 0),
    entries_received  INTEGER NOT NULL DEFAULT 0 CHECK (entries_received >= 0),
    diamonds_sent     INTEGER NOT NULL DEFAULT 0 CHECK (diamonds_sent >= 0),
    coins_sent        INTEGER NOT NULL DEFAULT 0 CHECK (coins_sent >= 0),
    entries_sent      INTEGER NOT NULL DEFAULT 0 CHECK (entries_sent >= 0),
    PRIMARY KEY (guild_id, user_id, period_key)
) WITHOUT ROWID;
-- Leaderboard top-N and "how many are above me" are range scans of these.
CREATE INDEX user_totals_received
    ON user_totals (guild_id, period_key, diamonds_received DESC, user_id);
CREATE INDEX user_totals_sent
    ON user_totals (guild_id, period_key, coins_sent DESC, user_id);

-- Gifts received per member, all time (for "top gifts"). Raw-diamond entries are not here.
CREATE TABLE gift_totals (
    guild_id     INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    gift_name    TEXT NOT NULL,
    count        INTEGER NOT NULL CHECK (count >= 0),
    diamonds     INTEGER NOT NULL CHECK (diamonds >= 0),
    PRIMARY KEY (guild_id, recipient_id, gift_name)
) WITHOUT ROWID;

-- Totals triggers. An entry counts while undone = 0 AND archived IS NULL.
-- Received and sent columns are updated by separate statements so that each SET list only
-- names the columns of one leaderboard index (SQLite rewrites every index whose columns
-- appear in SET): this halves the index work of a write. Adding upserts; subtracting
-- updates rows that must exist (the CHECKs above catch any drift). The two "add" bodies
-- are identical: keep them in sync.

CREATE TRIGGER ledger_count_new AFTER INSERT ON ledger
WHEN NEW.undone = 0 AND NEW.archived IS NULL
BEGIN
    INSERT INTO user_totals (guild_id, user_id, period_key,
                             diamonds_received, coins_received, entries_received)
    SELECT NEW.guild_id, NEW.recipient_id, p.period_key, NEW.diamonds, NEW.coins, 1
    FROM (SELECT 'all' AS period_key
          UNION ALL SELECT NEW.month_key
          UNION ALL SELECT NEW.week_key) AS p
    WHERE true
    ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET
        diamonds_received = diamonds_received + excluded.diamonds_received,
        coins_received = coins_received + excluded.coins_received,
        entries_received = entries_received + 1;

    INSERT INTO user_totals (guild_id, user_id, period_key,
                             diamonds_sent, coins_sent, entries_sent)
    SELECT NEW.guild_id, NEW.sender_id, p.period_key, NEW.diamonds, NEW.coins, 1
    FROM (SELECT 'all' AS period_key
          UNION ALL SELECT NEW.month_key
          UNION ALL SELECT NEW.week_key) AS p
    WHERE true
    ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET
        diamonds_sent = diamonds_sent + excluded.diamonds_sent,
        coins_sent = coins_sent + excluded.coins_sent,
        entries_sent = entries_sent + 1;

    INSERT INTO gift_totals (guild_id, recipient_id, gift_name, count, diamonds)
    SELECT NEW.guild_id, NEW.recipient_id, NEW.gift_name, NEW.count, NEW.diamonds
    WHERE NEW.gift_name IS NOT NULL
    ON CONFLICT (guild_id, recipient_id, gift_name) DO UPDATE SET
        count = count + excluded.count,
        diamonds = diamonds + excluded.diamonds;
END;

CREATE TRIGGER ledger_recount AFTER UPDATE OF undone, archived ON ledger
WHEN NOT (OLD.undone = 0 AND OLD.archived IS NULL) AND (NEW.undone = 0 AND NEW.archived IS NULL)
BEGIN
    INSERT INTO user_totals (guild_id, user_id, period_key,
                             diamonds_received, coins_received, entries_received)
    SELECT NEW.guild_id, NEW.recipient_id, p.period_key, NEW.diamonds, NEW.coins, 1
    FROM (SELECT 'all' AS period_key
          UNION ALL SELECT NEW.month_key
          UNION ALL SELECT NEW.week_key) AS p
    WHERE true
    ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET
        diamonds_received = diamonds_received + excluded.diamonds_received,
        coins_received = coins_received + excluded.coins_received,
        entries_received = entries_received + 1;

    INSERT INTO user_totals (guild_id, user_id, period_key,
                             diamonds_sent, coins_sent, entries_sent)
    SELECT NEW.guild_id, NEW.sender_id, p.period_key, NEW.diamonds, NEW.coins, 1
    FROM (SELECT 'all' AS period_key
          UNION ALL SELECT NEW.month_key
          UNION ALL SELECT NEW.week_key) AS p
    WHERE true
    ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET
        diamonds_sent = diamonds_sent + excluded.diamonds_sent,
        coins_sent = coins_sent + excluded.coins_sent,
        entries_sent = entries_sent + 1;

    INSERT INTO gift_totals (guild_id, recipient_id, gift_name, count, diamonds)
    SELECT NEW.guild_id, NEW.recipient_id, NEW.gift_name, NEW.count, NEW.diamonds
    WHERE NEW.gift_name IS NOT NULL
    ON CONFLICT (guild_id, recipient_id, gift_name) DO UPDATE SET
        count = count + excluded.count,
        diamonds = diamonds + excluded.diamonds;
END;

CREATE TRIGGER ledger_uncount AFTER UPDATE OF undone, archived ON ledger
WHEN (OLD.undone = 0 AND OLD.archived IS NULL) AND NOT (NEW.undone = 0 AND NEW.archived IS NULL)
BEGIN
    UPDATE user_totals SET
        diamonds_received = diamonds_received - OLD.diamonds,
        coins_received = coins_received - OLD.coins,
        entries_received = entries_received - 1
    WHERE guild_id = OLD.guild_id AND user_id = OLD.recipient_id
      AND period_key IN ('all', OLD.month_key, OLD.week_key);

    UPDATE user_totals SET
        diamonds_sent = diamonds_sent - OLD.diamonds,
        coins_sent = coins_sent - OLD.coins,
        entries_sent = entries_sent - 1
    WHERE guild_id = OLD.guild_id AND user_id = OLD.sender_id
      AND period_key IN ('all', OLD.month_key, OLD.week_key);

    UPDATE gift_totals SET
        count = count - OLD.count,
        diamonds = diamonds - OLD.diamonds
    WHERE guild_id = OLD.guild_id AND recipient_id = OLD.recipient_id
      AND gift_name = OLD.gift_name;
END;

CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;

CREATE TRIGGER ledger_immutable BEFORE UPDATE OF id, guild_id, recipient_id, sender_id,
    gift_name, count, coins, diamonds, created_at, month_key, week_key ON ledger
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are immutable; only undone/archived change');
END;

-- Groups: name as typed (trimmed); name_key (NFKC + casefold) makes names unique per server.
CREATE TABLE tally_groups (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    creator_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (guild_id, name_key)
);

CREATE TABLE tally_group_members (
    group_id  INTEGER NOT NULL REFERENCES tally_groups (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    joined_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;

-- Per-server settings as key -> text ('preset', 'currency', 'override:<figure>', 'fx:<CUR>'...).
CREATE TABLE guild_settings (
    guild_id INTEGER NOT NULL,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (guild_id, key)
) WITHOUT ROWID;

-- Who changed what, when; written in the same transaction as the change.
CREATE TABLE config_audit (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    actor_id   INTEGER NOT NULL,
    key        TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX config_audit_guild ON config_audit (guild_id, id);

CREATE TABLE custom_gifts (
    guild_id   INTEGER NOT NULL,
    name_key   TEXT NOT NULL,
    name       TEXT NOT NULL,
    coins      INTEGER NOT NULL CHECK (coins >= 1),
    creator_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, name_key)
) WITHOUT ROWID;
