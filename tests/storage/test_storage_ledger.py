"""Ledger, totals, leaderboards, archives and guild isolation, on every storage backend."""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from economy.errors import InvalidValue, OutOfRange
from economy.limits import MAX_AMOUNT, MAX_COUNT
from economy.storage import (
    Entry,
    Gifter,
    Storage,
    StorageError,
    UserSummary,
    period_key,
    period_keys,
)
from tests.support.backends import Backend

G1, G2 = 111, 222
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # Wednesday, ISO week 47


def member(user_id: int) -> Gifter:
    return Gifter.member(user_id, f"member {user_id}")


async def add(
    store: Storage,
    recipient: int,
    gifter: int,
    diamonds: Decimal | int,
    *,
    guild: int = G1,
    gift: str | None = "Rose",
    count: int = 1,
    coins: int | None = None,
    now: datetime = NOW,
) -> Entry:
    """Add one entry the gifter recorded, with coins defaulting to twice the diamonds."""
    recorded = await store.ledger.add_entry(
        guild,
        recipient,
        gifter,
        gifter=member(gifter),
        gift_name=gift,
        count=count,
        coins=int(2 * diamonds) if coins is None else coins,
        diamonds=Decimal(diamonds),
        now=now,
    )
    return recorded.entry


async def archive(store: Storage, user_id: int, actor_id: int, guild: int = G1) -> int:
    """Archive everything the member received, as a confirmed /tally reset does."""
    preview = await store.ledger.reset_preview(guild, user_id)
    return await store.ledger.archive_member(guild, user_id, actor_id, preview.up_to_id)


def board(rows: object) -> list[tuple[int, int | None, object]]:
    """(rank, user id, value) of leaderboard rows."""
    return [(r.rank, r.user_id, r.value) for r in rows]  # type: ignore[attr-defined]


async def viewer_rank(
    store: Storage, user_id: int, by: str, period: str = "all", now: datetime = NOW
) -> tuple[int, int | None, object] | None:
    standings = await store.ledger.standings(G1, user_id, by, period, now=now)  # type: ignore[arg-type]
    row = standings.viewer
    return None if row is None else (row.rank, row.user_id, row.value)


Sums = tuple[Decimal, int, int, int, int]


async def expected_summaries(store: Storage, guild: int, period: str = "all") -> dict[int, Sums]:
    """Per member (diamonds received, coins received, entries received, coins given, entries
    given), summed in Python over the exported ledger (active entries) for the period of NOW."""
    key = period_key(period, NOW)  # type: ignore[arg-type]
    sums: dict[int, list[Decimal | int]] = defaultdict(lambda: [Decimal(0), 0, 0, 0, 0])
    async for entry in store.ledger.export_rows(guild):
        if not entry.active or key not in ("all", *period_keys(entry.created_at)):
            continue
        received = sums[entry.recipient_id]
        received[0] += entry.diamonds
        received[1] += entry.coins
        received[2] += 1
        if entry.gifter is not None and entry.gifter.user_id is not None:
            given = sums[entry.gifter.user_id]
            given[3] += entry.coins
            given[4] += 1
    return {user: tuple(values) for user, values in sums.items()}  # type: ignore[misc]


async def assert_totals_match_ledger(store: Storage, guild: int) -> None:
    """Every member's summary (all periods) equals the ledger sums; verify() finds nothing."""
    for period in ("all", "month", "week"):
        expected = await expected_summaries(store, guild, period)
        for user, values in expected.items():
            got = await store.ledger.user_summary(guild, user, period, now=NOW)  # type: ignore[arg-type]
            assert (
                got.diamonds_received,
                got.coins_received,
                got.entries_received,
                got.coins_given,
                got.entries_given,
            ) == values, (period, user)
    assert await store.verify() == []


# -- entries and undo ------------------------------------------------------------------------


async def test_add_entry_returns_entry_and_updates_totals(storage: Storage) -> None:
    entry = await add(storage, 1, 2, 100, count=5, gift="Lion", coins=500)
    assert entry == Entry(
        entry.id, G1, 1, member(2), 2, "Lion", 5, 500, Decimal(100), NOW, False, None
    )
    assert entry.active
    assert await storage.ledger.user_summary(G1, 1) == UserSummary(Decimal(100), 500, 1, 1, 0, 0)
    assert await storage.ledger.user_summary(G1, 2) == UserSummary(Decimal(0), 0, 0, None, 500, 1)
    assert await storage.ledger.user_summary(G1, 3) == UserSummary()


async def test_half_diamonds_add_up_exactly(storage: Storage) -> None:
    """Two single Roses at half a diamond each make one diamond: nothing is lost."""
    for _ in range(2):
        await add(storage, 1, 2, Decimal("0.5"), coins=1)
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 1
    assert (await storage.ledger.top_gifts(G1, 1))[0].diamonds == 1
    with pytest.raises(ValueError):
        await add(storage, 1, 2, Decimal("0.0005"), coins=1)  # finer than stored: a bug


async def test_recorder_gifter_and_recipient_are_three_people(storage: Storage) -> None:
    recorded = await storage.ledger.add_entry(
        G1, 1, 3, gifter=Gifter.tiktok("@Big Spender"), gift_name="Lion", count=1,
        coins=29_999, diamonds=Decimal(29_999), now=NOW,
    )  # fmt: skip
    await storage.ledger.add_entry(
        G1, 1, 3, gifter=None, gift_name="Rose", count=1, coins=1, diamonds=Decimal(1), now=NOW
    )
    await add(storage, 2, 4, 10, coins=10)
    assert recorded.entry.recorder_id == 3 and recorded.entry.gifter is not None
    assert recorded.recipient_total == 29_999
    gifted = await storage.ledger.leaderboard(G1, "gifted", "all")
    assert [(r.rank, r.key, r.name, r.value) for r in gifted] == [
        (1, "t:big spender", "@Big Spender", 29_999),
        (2, "u:4", "member 4", 10),
    ]
    assert (await storage.ledger.user_summary(G1, 3)).coins_given == 0  # only recorded


async def test_raw_diamonds_have_no_gift(storage: Storage) -> None:
    await add(storage, 1, 2, 70, gift=None, coins=0)
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 70
    assert await storage.ledger.top_gifts(G1, 1) == []


async def test_undo_last_takes_back_the_recorders_latest_entry(storage: Storage) -> None:
    first = await add(storage, 1, 2, 10)
    await add(storage, 1, 3, 20)  # someone else's entry is not the sender's to undo
    second = await add(storage, 4, 2, 30)
    undone = await storage.ledger.undo_last(G1, 2)
    assert undone is not None and undone.id == second.id and undone.undone
    assert (await storage.ledger.user_summary(G1, 4)).diamonds_received == 0
    again = await storage.ledger.undo_last(G1, 2)
    assert again is not None and again.id == first.id
    assert await storage.ledger.undo_last(G1, 2) is None
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 20
    await assert_totals_match_ledger(storage, G1)


async def test_random_adds_and_undos_keep_totals_equal_to_ledger(
    storage: Storage,
) -> None:
    rnd = random.Random(7)
    for _ in range(300):
        when = NOW - timedelta(days=rnd.randrange(60), hours=rnd.randrange(24))
        if rnd.random() < 0.15:
            await storage.ledger.undo_last(G1, rnd.randrange(5))
        else:
            gift = rnd.choice(["Rose", "Lion", None])
            await add(storage, rnd.randrange(8), rnd.randrange(5), rnd.randrange(1, 500),
                      gift=gift, count=rnd.randrange(1, 4), now=when)  # fmt: skip
    await assert_totals_match_ledger(storage, G1)


async def test_invalid_amounts_are_refused_and_write_nothing(storage: Storage) -> None:
    with pytest.raises(OutOfRange):
        await add(storage, 1, 2, 10, count=0)
    with pytest.raises(OutOfRange):
        await add(storage, 1, 2, -1)
    with pytest.raises(OutOfRange):
        await add(storage, 1, 2, 10, coins=-5)
    with pytest.raises(InvalidValue):
        await add(storage, 1, 2, 10, gift="  ")
    assert [e async for e in storage.ledger.export_rows(G1)] == []


async def test_bounds_are_inclusive(storage: Storage) -> None:
    """The largest entry the commands accept is stored; one more of anything is refused."""
    most: dict[str, int] = {"count": MAX_COUNT, "coins": MAX_AMOUNT, "diamonds": MAX_AMOUNT}
    entry = (
        await storage.ledger.add_entry(G1, 1, 2, gifter=None, gift_name="Rose", **most)  # type: ignore[arg-type]
    ).entry
    assert (entry.count, entry.coins, entry.diamonds) == (MAX_COUNT, MAX_AMOUNT, MAX_AMOUNT)
    for field, limit in most.items():
        with pytest.raises(OutOfRange):
            await storage.ledger.add_entry(
                G1,
                1,
                2,
                gifter=None,
                gift_name="Rose",
                **{**most, field: limit + 1},  # type: ignore[arg-type]
            )
    assert [e.id async for e in storage.ledger.export_rows(G1)] == [entry.id]


async def test_top_gifts_orders_by_diamonds_and_follows_undo(storage: Storage) -> None:
    await add(storage, 1, 2, 5, gift="Rose", count=5)
    await add(storage, 1, 2, 300, gift="Lion", count=1)
    await add(storage, 1, 2, 5, gift="Rose", count=5)
    await add(storage, 1, 2, 10, gift="Heart", count=2)
    tops = await storage.ledger.top_gifts(G1, 1)
    assert [(g.gift_name, g.count, g.diamonds) for g in tops] == [
        ("Lion", 1, 300),
        ("Rose", 10, 10),  # same diamonds as Heart: more gifts first
        ("Heart", 2, 10),
    ]
    await storage.ledger.undo_last(G1, 2)  # the Heart entry
    assert [g.gift_name for g in await storage.ledger.top_gifts(G1, 1)] == ["Lion", "Rose"]


# -- leaderboards ----------------------------------------------------------------------------


async def test_leaderboard_received_and_gifted_with_shared_ranks(storage: Storage) -> None:
    await add(storage, 10, 1, 500, coins=50)
    await add(storage, 30, 2, 300, coins=300)
    await add(storage, 20, 2, 300, coins=300)
    await add(storage, 40, 3, 100, coins=600)
    assert board(await storage.ledger.leaderboard(G1, "received", "all")) == [
        (1, 10, 500),
        (2, 20, 300),  # tie: same rank, listed by user id
        (2, 30, 300),
        (4, 40, 100),  # competition ranking skips 3
    ]
    assert board(await storage.ledger.leaderboard(G1, "gifted", "all")) == [
        (1, 2, 600),
        (1, 3, 600),
        (3, 1, 50),
    ]
    assert await viewer_rank(storage, 30, "received") == (2, 30, 300)
    assert (await storage.ledger.user_summary(G1, 30)).rank_received == 2
    assert board(await storage.ledger.leaderboard(G1, "received", "all", limit=2)) == [
        (1, 10, 500),
        (2, 20, 300),
    ]


async def test_rank_outside_the_top_ten(storage: Storage) -> None:
    for user in range(1, 26):
        await add(storage, user, 999, user * 10)  # user 25 is first, user 1 last
    top = await storage.ledger.leaderboard(G1, "received", "all")
    assert [row.user_id for row in top] == list(range(25, 15, -1))
    assert await viewer_rank(storage, 6, "received") == (20, 6, 60)
    assert (await storage.ledger.user_summary(G1, 1)).rank_received == 25
    page_two = await storage.ledger.leaderboard(G1, "received", "all", offset=10)
    assert [(row.rank, row.user_id) for row in page_two] == [(r, 26 - r) for r in range(11, 21)]
    assert await viewer_rank(storage, 999, "received") is None  # only gave
    assert await viewer_rank(storage, 999, "gifted") == (1, 999, 2 * 3250)
    assert await viewer_rank(storage, 12345, "received") is None


async def test_week_and_month_leaderboards_use_utc_periods(storage: Storage) -> None:
    monday = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)  # start of ISO week 47
    await add(storage, 1, 9, 100, now=monday)
    await add(storage, 2, 9, 50, now=monday - timedelta(seconds=1))  # Sunday: week 46
    await add(storage, 3, 9, 70, now=datetime(2026, 10, 31, 23, 59))  # noqa: DTZ001  (naive = UTC: October)
    # 2026-11-01 01:00 at UTC+2 is still October 31st 23:00 UTC.
    await add(
        storage, 4, 9, 10, now=datetime(2026, 11, 1, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    )

    week = await storage.ledger.leaderboard(G1, "received", "week", now=NOW)
    assert board(week) == [(1, 1, 100)]
    month = await storage.ledger.leaderboard(G1, "received", "month", now=NOW)
    assert [row.user_id for row in month] == [1, 2]
    october = await storage.ledger.leaderboard(
        G1, "received", "month", now=datetime(2026, 10, 5, tzinfo=UTC)
    )
    assert [(row.user_id, row.value) for row in october] == [(3, 70), (4, 10)]
    assert [row.user_id for row in await storage.ledger.leaderboard(G1, "received", "all")] == [
        1, 3, 2, 4,
    ]  # fmt: skip
    gifted_week = await storage.ledger.leaderboard(G1, "gifted", "week", now=NOW)
    assert board(gifted_week) == [(1, 9, 200)]
    october_key = await storage.ledger.leaderboard(G1, "received", "M2026-10")
    assert [(row.user_id, row.value) for row in october_key] == [(3, 70), (4, 10)]
    summary = await storage.ledger.user_summary(G1, 2, "week", now=NOW)
    assert summary.diamonds_received == 0 and summary.rank_received is None
    assert await viewer_rank(storage, 2, "received", "month") == (2, 2, 50)


def test_period_keys_follow_iso_weeks_and_utc() -> None:
    assert period_keys(NOW) == ("M2026-11", "W2026-47")
    assert period_keys(datetime(2026, 12, 31, tzinfo=UTC)) == ("M2026-12", "W2026-53")
    assert period_keys(datetime(2027, 1, 3, 23, 59, tzinfo=UTC)) == ("M2027-01", "W2026-53")
    assert period_keys(datetime(2027, 1, 4, tzinfo=UTC)) == ("M2027-01", "W2027-01")
    assert period_keys(datetime(2025, 12, 29, tzinfo=UTC)) == ("M2025-12", "W2026-01")
    jakarta = datetime(2026, 12, 1, 5, 0, tzinfo=timezone(timedelta(hours=7)))
    assert period_keys(jakarta) == ("M2026-11", "W2026-49")  # still November 30th in UTC
    assert period_key("all", NOW) == "all"
    with pytest.raises(ValueError):
        period_key("year", NOW)  # type: ignore[arg-type]


async def test_bad_leaderboard_arguments_are_programming_errors(storage: Storage) -> None:
    with pytest.raises(ValueError):
        await storage.ledger.leaderboard(G1, "sent", "all")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await storage.ledger.leaderboard(G1, "received", "M2026-13")
    with pytest.raises(ValueError):
        await storage.ledger.leaderboard(G1, "received", "all", limit=0)
    with pytest.raises(ValueError):
        await storage.ledger.history(G1, 1, offset=-1)


# -- history, archive, export ----------------------------------------------------------------


async def test_history_lists_received_entries_newest_first(storage: Storage) -> None:
    ids = [(await add(storage, 1, 2 + i % 2, 10 + i)).id for i in range(7)]
    await add(storage, 2, 1, 5)  # given by user 1: not in their history
    await storage.ledger.undo_last(G1, 2)  # undoes ids[6]
    page, total = await storage.ledger.history(G1, 1, offset=0, limit=4)
    assert total == 6
    assert [e.id for e in page] == ids[5::-1][:4]
    rest, _ = await storage.ledger.history(G1, 1, offset=4, limit=4)
    assert [e.id for e in rest] == [ids[1], ids[0]]
    assert await storage.ledger.history(G1, 42) == ([], 0)


async def test_archive_and_restore_round_trip(storage: Storage) -> None:
    for i in range(6):
        await add(storage, 1, 10 + i % 2, 100, gift="Lion")
    await add(storage, 2, 10, 50)
    await add(storage, 10, 1, 7)  # given by the archived member: stays
    undone = await add(storage, 1, 11, 999)
    await storage.ledger.undo_last(G1, 11)
    before = {u: await storage.ledger.user_summary(G1, u) for u in (1, 2, 10, 11)}
    board = await storage.ledger.leaderboard(G1, "received", "all")

    assert await archive(storage, 1, actor_id=77) == 6
    after = await storage.ledger.user_summary(G1, 1)
    assert after == UserSummary(Decimal(0), 0, 0, None, before[1].coins_given, 1)
    assert (await storage.ledger.user_summary(G1, 10)).coins_given == before[10].coins_given - 600
    assert await storage.ledger.top_gifts(G1, 1) == []
    assert await storage.ledger.history(G1, 1) == ([], 0)
    assert [r.user_id for r in await storage.ledger.leaderboard(G1, "received", "all")] == [2, 10]
    assert await storage.ledger.undo_last(G1, 10) is not None  # undoes the entry to user 2, not 1's
    await add(storage, 2, 10, 50)
    assert await archive(storage, 1, actor_id=77) == 0
    await assert_totals_match_ledger(storage, G1)

    assert await storage.ledger.restore_member(G1, 1) == (6, before[1].diamonds_received)
    assert {u: await storage.ledger.user_summary(G1, u) for u in (1, 2, 10, 11)} == before
    assert await storage.ledger.leaderboard(G1, "received", "all") == board
    assert await storage.ledger.restore_member(G1, 1) == (0, before[1].diamonds_received)
    flags = {e.id: e async for e in storage.ledger.export_rows(G1)}
    assert flags[undone.id].undone and flags[undone.id].archived is None
    assert all(e.archived is None for e in flags.values())
    await assert_totals_match_ledger(storage, G1)


async def test_restore_brings_back_the_latest_archive_first(storage: Storage) -> None:
    await add(storage, 1, 2, 10)
    await archive(storage, 1, actor_id=5)
    await add(storage, 1, 2, 20)
    await add(storage, 1, 2, 30)
    await archive(storage, 1, actor_id=5)
    assert await storage.ledger.restore_member(G1, 1) == (2, 50)
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 50
    assert await storage.ledger.restore_member(G1, 1) == (1, 60)
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 60


async def test_export_rows_include_flags_in_id_order(storage: Storage) -> None:
    a = await add(storage, 1, 2, 10)
    b = await add(storage, 3, 2, 20)
    c = await add(storage, 3, 4, 30, gift=None, coins=0)
    await storage.ledger.undo_last(G1, 2)  # b
    await archive(storage, 1, actor_id=9)  # a
    rows = [e async for e in storage.ledger.export_rows(G1)]
    assert [e.id for e in rows] == [a.id, b.id, c.id]
    assert rows[0].archived is not None and not rows[0].undone
    assert rows[1].undone and rows[1].archived is None
    assert rows[2] == c


# -- isolation and concurrency ---------------------------------------------------------------


async def test_guilds_cannot_see_or_change_each_other(storage: Storage) -> None:
    await add(storage, 1, 2, 100, guild=G1)
    await add(storage, 1, 2, 7, guild=G2, gift="Heart")
    assert (await storage.ledger.user_summary(G2, 1)).diamonds_received == 7
    assert [r.value for r in await storage.ledger.leaderboard(G2, "received", "all")] == [7]
    assert [g.gift_name for g in await storage.ledger.top_gifts(G2, 1)] == ["Heart"]
    assert (await storage.ledger.history(G2, 1))[1] == 1

    undone = await storage.ledger.undo_last(G2, 2)
    assert undone is not None and undone.guild_id == G2
    assert await storage.ledger.undo_last(G2, 2) is None
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 100
    await add(storage, 1, 2, 7, guild=G2)
    assert await archive(storage, 1, actor_id=3, guild=G2) == 1
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 100
    assert await storage.ledger.restore_member(G1, 1) == (0, 100)
    assert [e.guild_id async for e in storage.ledger.export_rows(G1)] == [G1]
    assert await storage.ledger.leaderboard(G2, "received", "all") == []


async def test_concurrent_writes_keep_every_total_exact(storage: Storage) -> None:
    rnd = random.Random(3)
    jobs = [
        add(storage, rnd.randrange(500), rnd.randrange(500), rnd.randrange(1, 1000),
            gift=rnd.choice(["Rose", "Lion", None]))
        for _ in range(1000)
    ]  # fmt: skip
    entries = await asyncio.gather(*jobs)
    assert len({e.id for e in entries}) == 1000
    received = Counter[int]()
    for entry in entries:
        received[entry.recipient_id] += entry.diamonds
    expected = await expected_summaries(storage, G1)
    for user in range(500):
        summary = await storage.ledger.user_summary(G1, user)
        assert summary.diamonds_received == received[user]
        want = expected.get(user, (Decimal(0), 0, 0, 0, 0))
        assert (summary.diamonds_received, summary.coins_received, summary.coins_given) == (
            want[0],
            want[1],
            want[3],
        )
    assert await storage.verify() == []


async def test_reads_never_see_uncommitted_writes(storage: Storage, backend: Backend) -> None:
    """A restore that re-adds totals and then fails is never visible to concurrent readers."""
    ids = [(await add(storage, 1, 2 + i % 5, 1)).id for i in range(300)]
    assert await archive(storage, 1, actor_id=1) == 300
    # fail the restore's transaction at its last row, after it has re-added the other totals
    await backend.plant_failure(
        "boom", "ledger", "UPDATE OF archived", f"NEW.archived IS NULL AND OLD.id = {ids[-1]}"
    )
    seen: list[int] = []
    for _ in range(3):
        restore = asyncio.create_task(storage.ledger.restore_member(G1, 1))
        while not restore.done():
            seen.append((await storage.ledger.user_summary(G1, 1)).diamonds_received)
        with pytest.raises(StorageError):
            await restore
    assert seen and set(seen) == {0}
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 0


async def test_failed_write_rolls_back_completely(storage: Storage, backend: Backend) -> None:
    first = await add(storage, 1, 2, 10, gift="Lion")
    second = await add(storage, 1, 3, 20, gift="Lion")
    before = await storage.ledger.user_summary(G1, 1)
    # fail AFTER the ledger row and the user totals were written
    await backend.plant_failure("boom", "gift_totals", "INSERT", "NEW.gift_name = 'Boom'")
    archived = f"NEW.archived IS NOT NULL AND OLD.id = {second.id}"
    await backend.plant_failure("boom2", "ledger", "UPDATE OF archived", archived)
    with pytest.raises(StorageError):
        await add(storage, 1, 2, 50, gift="Boom")
    with pytest.raises(StorageError):
        await archive(storage, 1, actor_id=4)  # fails on its second row
    assert await storage.ledger.user_summary(G1, 1) == before
    assert [e.id async for e in storage.ledger.export_rows(G1)] == [first.id, second.id]
    assert [e.archived async for e in storage.ledger.export_rows(G1)] == [None, None]
    assert await backend.scalar("SELECT COUNT(*) FROM resets") == 0
    assert await storage.ledger.restore_member(G1, 1) == (0, before.diamonds_received)
    await backend.remove_failure("boom", "gift_totals")
    await backend.remove_failure("boom2", "ledger")
    assert await archive(storage, 1, actor_id=4) == 2
    assert await storage.verify() == []
