"""Storage of tallies, groups and per-server settings, keyed by plain int Discord ids.

Protocols per aggregate (`ledger`, `groups`, `guild_settings`) behind one `Storage`
handle (`store`); records, periods, errors, setting keys and shared statements (`queries`)
for every backend. `SqliteStorage` is the embedded backend; `PostgresStorage`
(`economy.storage.postgres`, imported on its own so asyncpg loads only when it is used) is the
one several bot processes share.
"""

from economy.storage.errors import (
    StorageBusy,
    StorageError,
    StorageFull,
    StorageGone,
    StorageMissing,
    StorageVersionError,
)
from economy.storage.groups import Decision, GroupStore, JoinRequest
from economy.storage.guild_settings import GuildSettingsStore
from economy.storage.keys import custom_gift_key, fx_key, override_key
from economy.storage.ledger import LedgerStore, ResetPreview
from economy.storage.periods import PERIOD_VALUES, Period, as_utc, period_key, period_keys
from economy.storage.records import (
    BY_VALUES,
    TALLY_OTHERS,
    AuditRow,
    By,
    CustomGift,
    Entry,
    GiftCount,
    Gifter,
    Group,
    GuildSettings,
    LeaderboardRow,
    MemberTally,
    MemberTotal,
    Recorded,
    Seen,
    Standings,
    StoredSettings,
    TallyOthers,
    UserSummary,
)
from economy.storage.sqlite import SqliteStorage, backup_database
from economy.storage.store import Storage

__all__ = [
    "BY_VALUES",
    "PERIOD_VALUES",
    "TALLY_OTHERS",
    "AuditRow",
    "By",
    "CustomGift",
    "Decision",
    "Entry",
    "GiftCount",
    "Gifter",
    "Group",
    "GroupStore",
    "GuildSettings",
    "GuildSettingsStore",
    "JoinRequest",
    "LeaderboardRow",
    "LedgerStore",
    "MemberTally",
    "MemberTotal",
    "Period",
    "Recorded",
    "ResetPreview",
    "Seen",
    "SqliteStorage",
    "Standings",
    "Storage",
    "StorageBusy",
    "StorageError",
    "StorageFull",
    "StorageGone",
    "StorageMissing",
    "StorageVersionError",
    "StoredSettings",
    "TallyOthers",
    "UserSummary",
    "as_utc",
    "backup_database",
    "custom_gift_key",
    "fx_key",
    "override_key",
    "period_key",
    "period_keys",
]
