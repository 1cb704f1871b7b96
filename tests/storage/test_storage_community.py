"""Schedules and period claims, rotated and threshold roles, goals, on both backends."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from economy.errors import InvalidValue, LimitReached
from economy.limits import MAX_THRESHOLD_ROLES, POST_NEWCOMERS
from economy.storage import (
    Gifter,
    GoalTarget,
    Schedule,
    Storage,
    period_end,
    period_start,
    previous_period_key,
)
from tests.support.backends import Backend

G1, G2 = 111, 222
CHANNEL, GIFTER_ROLE, RECEIVER_ROLE, MANAGER = 500, 601, 602, 9
WEEK_47 = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # a Wednesday
WEEK_48 = datetime(2026, 11, 23, 0, 0, 30, tzinfo=UTC)  # just after week 47 ended


async def add(store: Storage, recipient: int, diamonds: int, *, gifter=None, now=WEEK_47):
    recorded = await store.ledger.add_entry(
        G1, recipient, MANAGER, gifter=gifter, gift_name="Rose", count=1,
        coins=diamonds * 2, diamonds=diamonds, now=now,
    )  # fmt: skip
    return recorded.entry


async def weekly(store: Storage, now=WEEK_47, **roles: int | None):
    """Posts in CHANNEL each week, and the `gifter` and `receiver` roles if given."""
    schedule = await store.community.set_schedule_posts(
        G1, "week", MANAGER, channel_id=CHANNEL, now=now
    )
    if not roles:
        return schedule
    return await store.community.set_schedule_roles(
        G1, "week", MANAGER, gifter_role_id=roles.get("gifter"),
        receiver_role_id=roles.get("receiver"), now=now,
    )  # fmt: skip


def halves(schedule: Schedule) -> tuple[int | None, int | None, int | None]:
    return schedule.channel_id, schedule.gifter_role_id, schedule.receiver_role_id


# -- periods ---------------------------------------------------------------------------------


def test_weeks_and_months_begin_and_end_in_utc_across_years() -> None:
    assert period_start("W2026-47") == datetime(2026, 11, 16, tzinfo=UTC)
    assert period_end("W2026-47") == datetime(2026, 11, 23, tzinfo=UTC)
    assert period_end("W2026-53") == datetime(2027, 1, 4, tzinfo=UTC)  # ISO year ends in January
    assert period_end("M2026-12") == datetime(2027, 1, 1, tzinfo=UTC)
    assert previous_period_key("week", WEEK_48) == "W2026-47"
    assert previous_period_key("week", period_end("W2026-47") - timedelta(seconds=1)) == "W2026-46"
    assert previous_period_key("month", datetime(2027, 1, 1, tzinfo=UTC)) == "M2026-12"
    with pytest.raises(ValueError):
        period_start("all")


# -- schedules and claims --------------------------------------------------------------------


async def test_a_schedule_is_due_once_its_first_period_ends(storage: Storage) -> None:
    with pytest.raises(InvalidValue):
        await storage.community.set_schedule_roles(
            G1, "week", MANAGER, gifter_role_id=None, receiver_role_id=None
        )
    schedule = await weekly(storage)
    assert (schedule.channel_id, schedule.status) == (CHANNEL, "active")
    assert await storage.community.due_periods(WEEK_47) == []  # week 46 ended before it was set
    [due] = await storage.community.due_periods(WEEK_48)
    assert (due.guild_id, due.kind, due.period_key) == (G1, "week", "W2026-47")


async def test_after_downtime_only_the_latest_period_is_due(storage: Storage) -> None:
    await weekly(storage)
    three_weeks_later = WEEK_48 + timedelta(days=17)  # weeks 47, 48 and 49 have ended
    [due] = await storage.community.due_periods(three_weeks_later)
    assert due.period_key == "W2026-49"
    report = await storage.community.claim_period(G1, "week", "W2026-49", three_weeks_later)
    assert report is not None
    await storage.community.finish_period(G1, "week", "W2026-49", outcome="posted")
    assert await storage.community.due_periods(three_weeks_later) == []
    assert await storage.community.claim_period(G1, "week", "W2026-49", three_weeks_later) is None


async def test_two_processes_racing_for_a_period_one_wins(backend: Backend) -> None:
    first = await backend.open()  # two storages on one database, as two processes have
    second = await backend.open()
    try:
        await weekly(first)
        await add(first, 1, 100)
        for attempt in range(5):  # fresh periods each round
            key = previous_period_key("week", WEEK_48 + timedelta(weeks=attempt))
            now = period_end(key) + timedelta(seconds=1)
            reports = await asyncio.gather(
                *(s.community.claim_period(G1, "week", key, now) for s in (first, second) * 3)
            )
            assert sum(report is not None for report in reports) == 1, key
    finally:
        await first.close()
        await second.close()


async def test_a_claim_left_unfinished_is_taken_again_after_its_lease(
    storage: Storage,
) -> None:
    await weekly(storage)
    assert await storage.community.claim_period(G1, "week", "W2026-47", WEEK_48) is not None
    assert await storage.community.due_periods(WEEK_48 + timedelta(minutes=5)) == []
    later = WEEK_48 + timedelta(minutes=16)  # the claimer died without finishing
    assert [d.period_key for d in await storage.community.due_periods(later)] == ["W2026-47"]
    assert await storage.community.claim_period(G1, "week", "W2026-47", later) is not None
    assert await storage.community.claim_period(G1, "week", "W2026-47", later) is None


async def test_a_period_not_over_or_newer_than_the_schedule_is_not_claimed(
    storage: Storage,
) -> None:
    await weekly(storage, now=WEEK_48)  # set after week 47 ended
    assert await storage.community.claim_period(G1, "week", "W2026-47", WEEK_48) is None
    assert await storage.community.claim_period(G1, "week", "W2026-48", WEEK_48) is None
    with pytest.raises(ValueError):
        await storage.community.claim_period(G1, "month", "W2026-47", WEEK_48)


async def test_the_report_reads_the_period_it_claims(storage: Storage) -> None:
    await weekly(storage, gifter=GIFTER_ROLE, receiver=RECEIVER_ROLE)
    earlier = WEEK_47 - timedelta(days=7)
    await add(storage, 1, 50, now=earlier, gifter=Gifter.member(20, "Old Fan"))  # not new
    await add(storage, 1, 300, gifter=Gifter.member(20, "Old Fan"))
    await add(storage, 2, 1000, gifter=Gifter.tiktok("@bigspender"))
    await add(storage, 3, 40, gifter=Gifter.member(21, "New Fan"))
    await add(storage, 2, 10, now=WEEK_48)  # next week: not in this report
    undone = await add(storage, 4, 5000)
    await storage.ledger.undo_last(G1, MANAGER)
    assert undone.recipient_id == 4

    report = await storage.community.claim_period(G1, "week", "W2026-47", WEEK_48)
    assert report is not None
    assert [(r.rank, r.user_id, r.value) for r in report.receivers] == [
        (1, 2, 1000), (2, 1, 300), (3, 3, 40),
    ]  # fmt: skip
    assert [r.name for r in report.gifters] == ["@bigspender", "Old Fan", "New Fan"]
    assert report.top_member_gifter is not None and report.top_member_gifter.user_id == 20
    assert (report.diamonds, report.coins, report.entries) == (Decimal(1340), 2680, 3)
    assert report.biggest is not None and report.biggest.diamonds == 1000
    assert [r.user_id for r in report.new_receivers] == [2, 3]  # member 1 received before
    assert report.new_receiver_count == 2
    assert [r.name for r in report.new_gifters] == ["@bigspender", "New Fan"]
    assert report.holders == {GIFTER_ROLE: (), RECEIVER_ROLE: ()}


async def test_newcomers_are_counted_all_and_named_up_to_the_cap(storage: Storage) -> None:
    await weekly(storage)
    for user in range(1, POST_NEWCOMERS + 4):
        await add(storage, user, 10 * user)
    report = await storage.community.claim_period(G1, "week", "W2026-47", WEEK_48)
    assert report is not None
    assert report.new_receiver_count == POST_NEWCOMERS + 3
    assert len(report.new_receivers) == POST_NEWCOMERS
    assert report.new_receivers[0].user_id == POST_NEWCOMERS + 3  # the biggest first


async def test_finishing_records_holders_and_a_failure_stops_the_schedule(
    storage: Storage,
) -> None:
    await weekly(storage, gifter=GIFTER_ROLE, receiver=RECEIVER_ROLE)
    await storage.community.claim_period(G1, "week", "W2026-47", WEEK_48)
    await storage.community.finish_period(
        G1, "week", "W2026-47", outcome="posted", holders={GIFTER_ROLE: 20, RECEIVER_ROLE: 2}
    )
    next_week = WEEK_48 + timedelta(days=7)
    report = await storage.community.claim_period(G1, "week", "W2026-48", next_week)
    assert report is not None and report.holders == {GIFTER_ROLE: (20,), RECEIVER_ROLE: (2,)}
    await storage.community.finish_period(
        G1, "week", "W2026-48", outcome="failed", holders={GIFTER_ROLE: None},
        failure="missing: Send Messages in the channel",
    )  # fmt: skip
    [schedule] = await storage.community.schedules(G1)
    assert (schedule.status, schedule.failure) == (
        "failed",
        "missing: Send Messages in the channel",
    )
    assert await storage.community.due_periods(next_week + timedelta(days=7)) == []
    again = await weekly(storage, now=next_week)  # a manager sets the posts again
    assert (again.status, again.failure) == ("active", None)
    assert halves(again) == (CHANNEL, GIFTER_ROLE, RECEIVER_ROLE)  # the roles are kept
    assert await storage.community.schedules(G1) == [again]


async def test_posts_and_roles_are_set_and_stopped_without_touching_each_other(
    storage: Storage,
) -> None:
    community = storage.community
    later = WEEK_47 + timedelta(hours=1)
    assert not await community.stop_schedule_posts(G1, "week")  # nothing to stop
    assert not await community.stop_schedule_roles(G1, "week")
    roles = await community.set_schedule_roles(
        G1, "week", 7, gifter_role_id=GIFTER_ROLE, receiver_role_id=None, locale="fr", now=WEEK_47
    )
    assert (halves(roles), roles.manager_id, roles.locale) == ((None, GIFTER_ROLE, None), 7, "fr")
    both = await community.set_schedule_posts(
        G1, "week", MANAGER, channel_id=CHANNEL, locale="pt-BR", now=later
    )
    assert halves(both) == (CHANNEL, GIFTER_ROLE, None)  # the roles stay
    assert (both.manager_id, both.locale, both.created_at) == (MANAGER, "pt-BR", later)
    both = await community.set_schedule_roles(
        G1, "week", MANAGER, gifter_role_id=None, receiver_role_id=RECEIVER_ROLE, now=later
    )
    assert halves(both) == (CHANNEL, None, RECEIVER_ROLE)  # roles replaced, the channel stays

    assert await community.stop_schedule_posts(G1, "week", now=WEEK_48)
    [kept] = await community.schedules(G1)
    assert halves(kept) == (None, None, RECEIVER_ROLE)  # the roles rotate on
    assert (kept.manager_id, kept.created_at) == (MANAGER, WEEK_48)
    assert not await community.stop_schedule_posts(G1, "week")  # already stopped
    assert await community.schedules(G1) == [kept]
    assert await community.stop_schedule_roles(G1, "week")
    assert await community.schedules(G1) == []  # neither half: no schedule

    await weekly(storage, gifter=GIFTER_ROLE)
    assert await community.stop_schedule_roles(G1, "week")
    [kept] = await community.schedules(G1)
    assert halves(kept) == (CHANNEL, None, None)  # the posts go on
    assert not await community.stop_schedule_roles(G1, "week")
    assert await community.stop_schedule_posts(G1, "week")
    assert await community.schedules(G1) == []


async def test_stopping_the_failed_half_lets_the_other_go_on(storage: Storage) -> None:
    await weekly(storage, gifter=GIFTER_ROLE)
    await storage.community.claim_period(G1, "week", "W2026-47", WEEK_48)
    await storage.community.finish_period(
        G1, "week", "W2026-47", outcome="failed", failure="missing: Send Messages in the channel"
    )
    next_week = WEEK_48 + timedelta(days=7)
    assert await storage.community.due_periods(next_week) == []  # paused
    assert await storage.community.stop_schedule_posts(G1, "week", now=WEEK_48)
    [schedule] = await storage.community.schedules(G1)
    assert (schedule.status, schedule.failure, schedule.role_ids) == (
        "active",
        None,
        (GIFTER_ROLE,),
    )
    [due] = await storage.community.due_periods(next_week)  # the roles rotate again
    assert due.period_key == "W2026-48"


async def test_managers_changing_posts_and_roles_at_once_keep_both_changes(
    backend: Backend,
) -> None:
    first = await backend.open()  # two processes on one database
    second = await backend.open()
    guilds = range(1000, 1012)
    community = first.community

    async def each_server(*writes) -> None:
        await asyncio.gather(*(write(g) for g in guilds for write in writes))

    async def schedules() -> set[tuple[int | None, int | None, int | None]]:
        return {halves(s) for g in guilds for s in await community.schedules(g)}

    def set_posts(g: int):
        return first.community.set_schedule_posts(g, "week", MANAGER, channel_id=CHANNEL)

    def set_roles(g: int, receiver: int | None = RECEIVER_ROLE):
        return second.community.set_schedule_roles(
            g, "week", MANAGER, gifter_role_id=GIFTER_ROLE, receiver_role_id=receiver
        )

    try:
        await each_server(set_posts, set_roles)
        assert await schedules() == {(CHANNEL, GIFTER_ROLE, RECEIVER_ROLE)}
        await each_server(
            lambda g: first.community.stop_schedule_posts(g, "week"),
            lambda g: set_roles(g, receiver=None),
        )
        assert await schedules() == {(None, GIFTER_ROLE, None)}
        await each_server(lambda g: second.community.stop_schedule_roles(g, "week"), set_posts)
        assert await schedules() == {(CHANNEL, None, None)}
        await each_server(set_roles)
        stopped = await asyncio.gather(
            *(first.community.stop_schedule_posts(g, "week") for g in guilds),
            *(second.community.stop_schedule_roles(g, "week") for g in guilds),
        )
        assert all(stopped)  # each had its half to stop
        assert await schedules() == set()  # and nothing is left
    finally:
        await first.close()
        await second.close()


# -- threshold roles -------------------------------------------------------------------------


async def reached(storage: Storage, recipient: int, diamonds: int, guild: int = G1) -> list[int]:
    """Record `diamonds` for `recipient`: the threshold roles that entry's write claimed."""
    recorded = await storage.ledger.add_entry(
        guild, recipient, MANAGER, gift_name="Rose", count=1, coins=diamonds * 2,
        diamonds=diamonds, now=WEEK_47,
    )  # fmt: skip
    return [role.role_id for role in recorded.roles_reached]


async def test_threshold_roles_are_claimed_once_by_the_entry_that_reaches_them(
    storage: Storage,
) -> None:
    community = storage.community
    await community.save_threshold_role(G1, 700, 1000, MANAGER)
    await community.save_threshold_role(G1, 701, 5000, MANAGER)
    assert await reached(storage, 1, 999) == []
    recorded = await storage.ledger.add_entry(
        G1, 1, MANAGER, gift_name="Rose", count=1, coins=2, diamonds=1, now=WEEK_47
    )
    assert [(r.role_id, r.diamonds) for r in recorded.roles_reached] == [(700, 1000)]
    assert await reached(storage, 1, 1) == []  # given already
    both = await asyncio.gather(*(reached(storage, 1, 10_000) for _ in range(4)))
    assert sorted(role for claimed in both for role in claimed) == [701]  # once
    assert await reached(storage, 1, 20_000, guild=G2) == []  # another server's roles


async def test_a_role_that_could_not_be_given_fails_until_set_again(
    storage: Storage,
) -> None:
    community = storage.community
    await community.save_threshold_role(G1, 700, 10, MANAGER)
    assert await reached(storage, 1, 10) == [700]
    await community.settle_threshold_role(G1, 700, 1, "missing: Manage Roles")
    [failed] = await community.threshold_roles(G1)
    assert (failed.status, failed.failure) == ("failed", "missing: Manage Roles")
    assert await reached(storage, 1, 1) == []  # not retried
    await community.save_threshold_role(G1, 700, 10, MANAGER)
    assert await reached(storage, 1, 1) == [700]


async def test_threshold_roles_are_capped_per_server(storage: Storage) -> None:
    for role in range(MAX_THRESHOLD_ROLES):
        await storage.community.save_threshold_role(G1, 800 + role, 100 + role, MANAGER)
    with pytest.raises(LimitReached):
        await storage.community.save_threshold_role(G1, 999, 5, MANAGER)
    await storage.community.save_threshold_role(G1, 800, 7, MANAGER)  # changing one is fine
    assert await storage.community.remove_threshold_role(G1, 800) is not None
    assert len(await storage.community.threshold_roles(G1)) == MAX_THRESHOLD_ROLES - 1


# -- goals -----------------------------------------------------------------------------------


async def test_a_goal_counts_what_is_received_after_it_is_set(storage: Storage) -> None:
    community = storage.community
    await add(storage, 1, 400)
    goal = await community.set_goal(
        G1, GoalTarget.member(1), Decimal(1000), None, date(2026, 12, 31), 1
    )
    assert (goal.amount, goal.currency, goal.due_on) == (Decimal(1000), None, date(2026, 12, 31))
    await add(storage, 1, 300)
    await add(storage, 2, 5000)
    standing = await community.goal(G1, GoalTarget.member(1))
    assert standing is not None and standing.diamonds == 300
    await storage.ledger.undo_last(G1, MANAGER)  # member 2's entry
    await storage.ledger.undo_last(G1, MANAGER)  # member 1's 300
    standing = await community.goal(G1, GoalTarget.member(1))
    assert standing is not None and standing.diamonds == 0
    assert await community.goal(G1, GoalTarget.member(2)) is None


async def test_a_group_goal_sums_its_members_and_goes_with_the_group(
    storage: Storage,
) -> None:
    group = await storage.groups.create_group(G1, "Crew", 1)
    for user in (1, 2):
        await storage.groups.add_member(G1, "Crew", user)
    money = await storage.community.set_goal(
        G1, GoalTarget.group(group.id), Decimal("50.00"), "USD", None, 1
    )
    await add(storage, 1, 100)
    await add(storage, 2, 200)
    await add(storage, 3, 400)  # not in the group
    standing = await storage.community.goal(G1, GoalTarget.group(group.id))
    assert standing is not None and standing.diamonds == 300
    assert standing.goal.currency == "USD" and standing.goal.amount == Decimal("50.00")
    opened = await storage.community.open_goals(G1, 2)
    assert [s.goal.id for s in opened] == [money.id]
    await storage.groups.delete_group(G1, "Crew")
    assert await storage.community.goal(G1, GoalTarget.group(group.id)) is None


async def test_open_goals_come_with_their_own_progress(storage: Storage) -> None:
    """A member's own goal and their group's goal, read together after an entry: each counts
    only its own entries since it was set, none undone, none of another server."""
    group = await storage.groups.create_group(G1, "Duo", 1)
    for user in (1, 2):
        await storage.groups.add_member(G1, "Duo", user)
    await add(storage, 1, 1000)  # before both goals
    own = await storage.community.set_goal(G1, GoalTarget.member(1), Decimal(900), None, None, 1)
    await add(storage, 2, 20)  # counts for the group only
    team = await storage.community.set_goal(
        G1, GoalTarget.group(group.id), Decimal(900), None, None, 1
    )
    await add(storage, 1, 5)
    await add(storage, 2, 7)
    await add(storage, 1, 600)
    await storage.ledger.undo_last(G1, MANAGER)  # the 600 never counts
    await storage.ledger.add_entry(
        G2, 1, MANAGER, gift_name="Rose", count=1, coins=2, diamonds=1
    )  # another server's
    opened = await storage.community.open_goals(G1, 1)
    assert [(s.goal.id, s.diamonds) for s in opened] == [(own.id, 5), (team.id, 12)]


async def test_reaching_a_goal_is_claimed_once(storage: Storage) -> None:
    community = storage.community
    goal = await community.set_goal(G1, GoalTarget.member(1), Decimal(10), None, None, 1)
    claims = await asyncio.gather(*(community.claim_goal_reached(goal.id) for _ in range(5)))
    assert claims.count(True) == 1
    assert await community.open_goals(G1, 1) == []  # reached goals are not checked again
    replaced = await community.set_goal(G1, GoalTarget.member(1), Decimal(20), None, None, 1)
    assert replaced.reached_at is None and replaced.id != goal.id
    assert [s.goal.id for s in await community.open_goals(G1, 1)] == [replaced.id]
    assert await community.clear_goal(G1, GoalTarget.member(1)) == replaced
    assert await community.clear_goal(G1, GoalTarget.member(1)) is None


async def test_goals_refuse_nonsense(storage: Storage) -> None:
    with pytest.raises(ValueError):
        GoalTarget(user_id=1, group_id=2)
    with pytest.raises(InvalidValue):
        await storage.community.set_goal(G1, GoalTarget.member(1), Decimal(0), None, None, 1)
    other = await storage.groups.create_group(G2, "Elsewhere", 1)
    with pytest.raises(Exception, match="group"):
        await storage.community.set_goal(G1, GoalTarget.group(other.id), Decimal(5), None, None, 1)


async def test_an_entry_says_whether_goals_may_follow(storage: Storage) -> None:
    async def open_goals(guild: int = G1) -> bool:
        recorded = await storage.ledger.add_entry(
            guild, 1, MANAGER, gift_name="Rose", count=1, coins=2, diamonds=1, now=WEEK_47
        )
        return recorded.open_goals

    assert await open_goals() is False  # most servers: nothing to look for after
    goal = await storage.community.set_goal(G1, GoalTarget.member(2), Decimal(5), None, None, 1)
    assert await open_goals() is True
    assert await storage.community.claim_goal_reached(goal.id)
    assert await open_goals() is False  # the only goal is reached
    await storage.community.set_goal(G1, GoalTarget.member(3), Decimal(5), None, None, 1)
    assert await open_goals(G2) is False  # another server's
