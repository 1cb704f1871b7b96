"""What /tally show reads in one snapshot: a member's all-time rank, this month's and this
week's totals, and their top gifts, on every storage backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from economy.storage import Gifter, Storage

G = 111
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # Wednesday, ISO week 47


async def give(store: Storage, recipient: int, diamonds: int, gift: str, when: datetime) -> None:
    await store.ledger.add_entry(
        G,
        recipient,
        9,
        gifter=Gifter.member(9, "fan"),
        gift_name=gift,
        count=1,
        coins=diamonds,
        diamonds=Decimal(diamonds),
        now=when,
    )


async def test_show_reads_periods_rank_and_top_gifts_together(storage: Storage) -> None:
    last_month = datetime(2026, 10, 20, tzinfo=UTC)
    earlier_this_month = datetime(2026, 11, 3, tzinfo=UTC)  # week 45
    await give(storage, 1, 500, "Lion", last_month)
    await give(storage, 1, 30, "Rose", earlier_this_month)
    await give(storage, 1, 7, "Rose", NOW - timedelta(hours=1))
    await give(storage, 2, 900, "Galaxy", NOW)  # ranks above member 1 all-time
    await give(storage, 3, 10, "Rose", NOW)  # ranks below

    tally = await storage.ledger.member_tally(G, 1, now=NOW)

    assert tally.all_time.diamonds_received == 537 and tally.all_time.rank_received == 2
    assert tally.month.diamonds_received == 37 and tally.month.entries_received == 2
    assert tally.week.diamonds_received == 7 and tally.week.entries_received == 1
    assert tally.month.rank_received is None and tally.week.rank_received is None
    for period, shown in (("month", tally.month), ("week", tally.week)):
        alone = await storage.ledger.user_summary(G, 1, period, now=NOW)  # type: ignore[arg-type]
        assert (shown.diamonds_received, shown.coins_received) == (
            alone.diamonds_received,
            alone.coins_received,
        )
    assert [(g.gift_name, g.count, g.diamonds) for g in tally.top_gifts] == [
        ("Lion", 1, 500),
        ("Rose", 2, 37),
    ]


async def test_show_of_a_member_who_received_nothing(storage: Storage) -> None:
    await give(storage, 2, 900, "Galaxy", NOW)
    tally = await storage.ledger.member_tally(G, 1, now=NOW)
    assert tally.all_time.diamonds_received == 0 and tally.all_time.rank_received is None
    assert tally.top_gifts == ()
