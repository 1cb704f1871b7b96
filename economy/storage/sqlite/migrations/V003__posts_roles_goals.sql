-- V003: weekly and monthly posts, roles for the period's top gifter and receiver, roles at
-- diamond thresholds, and goals. Every "once" is a row some write inserts or sets: the first
-- write wins, across restarts and between processes on this file.

-- A server's schedule for one kind of period ('week' or 'month', UTC): the channel its
-- leaderboard is posted to when the period ends, and the roles its top gifter and top receiver
-- get (rotated at each end), in the server's language (`locale`). Periods that ended before
-- created_at are never posted. A failed
-- schedule (channel gone, permission missing) was reported to manager_id and waits until a
-- manager sets it again.
CREATE TABLE period_schedules (
    guild_id         INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('week', 'month')),
    channel_id       INTEGER,
    gifter_role_id   INTEGER,
    receiver_role_id INTEGER,
    manager_id       INTEGER NOT NULL,
    locale           TEXT NOT NULL DEFAULT 'en' CHECK (length(locale) <= 10),
    created_at       TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failed')),
    failure          TEXT CHECK (failure IS NULL OR length(failure) <= 200),
    CHECK (channel_id IS NOT NULL OR gifter_role_id IS NOT NULL OR receiver_role_id IS NOT NULL),
    PRIMARY KEY (guild_id, kind)
) WITHOUT ROWID;

-- One row per server and ended period: inserting it is the claim. A claim left unfinished for
-- 15 minutes (its process died) may be taken over; finished_at closes it for good.
CREATE TABLE period_claims (
    guild_id    INTEGER NOT NULL,
    period_key  TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT CHECK (outcome IS NULL OR length(outcome) <= 200),
    message_id  INTEGER,
    PRIMARY KEY (guild_id, period_key)
) WITHOUT ROWID;

-- Who the bot gave a rotated role to (it has no members intent: it remembers them).
CREATE TABLE role_holders (
    guild_id INTEGER NOT NULL,
    role_id  INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    since    TEXT NOT NULL,
    PRIMARY KEY (guild_id, role_id, user_id)
) WITHOUT ROWID;

-- Roles given once a member's all-time diamonds received reach a threshold.
CREATE TABLE threshold_roles (
    guild_id       INTEGER NOT NULL,
    role_id        INTEGER NOT NULL,
    diamonds_milli INTEGER NOT NULL CHECK (diamonds_milli > 0),
    manager_id     INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failed')),
    failure        TEXT CHECK (failure IS NULL OR length(failure) <= 200),
    PRIMARY KEY (guild_id, role_id)
) WITHOUT ROWID;

-- A threshold role given to a member: inserting the row is the claim (given once).
CREATE TABLE threshold_grants (
    guild_id   INTEGER NOT NULL,
    role_id    INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, role_id, user_id)
) WITHOUT ROWID;

-- A member's or a group's goal: `amount` diamonds (currency NULL) or money to take home in
-- `currency`, by an optional date. Progress counts the active entries received after
-- after_entry_id; reached_at is set once, by the write that claims the announcement.
CREATE TABLE goals (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: claims name goals by id
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER,
    group_id       INTEGER REFERENCES tally_groups (id) ON DELETE CASCADE,
    amount         TEXT NOT NULL CHECK (length(amount) <= 40),
    currency       TEXT CHECK (currency IS NULL OR length(currency) = 3),
    due_on         TEXT,
    after_entry_id INTEGER NOT NULL,
    setter_id      INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    reached_at     TEXT,
    CHECK ((user_id IS NULL) <> (group_id IS NULL)),
    UNIQUE (guild_id, user_id),
    UNIQUE (guild_id, group_id)
);

-- A period's post reads its biggest entry and its newcomers through these, never the whole
-- ledger of the server.
CREATE INDEX ledger_week ON ledger (guild_id, week_key, diamonds_milli)
    WHERE undone = 0 AND archived IS NULL;
CREATE INDEX ledger_month ON ledger (guild_id, month_key, diamonds_milli)
    WHERE undone = 0 AND archived IS NULL;
CREATE INDEX ledger_gifted ON ledger (guild_id, gifter_key, id)
    WHERE undone = 0 AND archived IS NULL AND gifter_key IS NOT NULL;
