"""Storage of tallies, groups and per-server settings, keyed by plain int Discord ids.

Protocols per aggregate (`ledger`, `groups`, `guild_settings`, `community`,
`reference_rates`) behind one `Storage` handle (`store`); records, periods, errors, setting
keys and shared statements (`queries`) for every backend. `SqliteStorage` is the embedded
backend; `PostgresStorage` (`economy.storage.postgres`, imported on its own so asyncpg loads
only when it is used) is the one several bot processes share.
"""

from economy.storage.community import (
    CommunityStore,
    DuePeriod,
    Goal,
    GoalStanding,
    GoalTarget,
    PeriodReport,
    Schedule,
    ThresholdRole,
)
from economy.storage.errors import (
    StorageBusy,
    StorageError,
    StorageFull,
    StorageGone,
    StorageMissing,
    StorageReadOnly,
    StorageVersionError,
)
from economy.storage.groups import Decision, GroupStore, JoinRequest
from economy.storage.guild_settings import GuildSettingsStore
from economy.storage.keys import custom_gift_key, fx_key, override_key
from economy.storage.ledger import LedgerStore, ResetPreview
from economy.storage.periods import (
    PERIOD_KINDS,
    PERIOD_VALUES,
    Period,
    PeriodKind,
    as_utc,
    period_end,
    period_key,
    period_keys,
    period_start,
    previous_period_key,
)
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
    RoleReached,
    Seen,
    Standings,
    StoredSettings,
    TallyOthers,
    UserSummary,
)
from economy.storage.reference_rates import ReferenceRatesStore, StoredReferenceRates
from economy.storage.sqlite import SqliteStorage, backup_database
from economy.storage.store import Storage

__all__ = [
    "BY_VALUES",
    "PERIOD_KINDS",
    "PERIOD_VALUES",
    "TALLY_OTHERS",
    "AuditRow",
    "By",
    "CommunityStore",
    "CustomGift",
    "Decision",
    "DuePeriod",
    "Entry",
    "GiftCount",
    "Gifter",
    "Goal",
    "GoalStanding",
    "GoalTarget",
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
    "PeriodKind",
    "PeriodReport",
    "Recorded",
    "ReferenceRatesStore",
    "ResetPreview",
    "RoleReached",
    "Schedule",
    "Seen",
    "SqliteStorage",
    "Standings",
    "Storage",
    "StorageBusy",
    "StorageError",
    "StorageFull",
    "StorageGone",
    "StorageMissing",
    "StorageReadOnly",
    "StorageVersionError",
    "StoredReferenceRates",
    "StoredSettings",
    "TallyOthers",
    "ThresholdRole",
    "UserSummary",
    "as_utc",
    "backup_database",
    "custom_gift_key",
    "fx_key",
    "override_key",
    "period_end",
    "period_key",
    "period_keys",
    "period_start",
    "previous_period_key",
]
