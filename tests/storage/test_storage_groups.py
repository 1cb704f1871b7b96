"""Groups and name rules, on every storage backend."""

from __future__ import annotations

import asyncio
import unicodedata
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from economy.errors import AlreadyExists, InvalidValue, LimitReached, LooksLike, NotFound
from economy.limits import MAX_GROUPS, MAX_GROUPS_PER_CREATOR, MAX_NAME_LENGTH
from economy.names import clean_name, name_key
from economy.storage import MemberTotal, Storage
from tests.support.backends import Backend

G1, G2 = 1001, 1002
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


async def raw_diamonds(
    storage: Storage, guild: int, user: int, diamonds: int, now: datetime = NOW
) -> None:
    """Diamonds a member received, recorded by someone else with no gifter named."""
    await storage.ledger.add_entry(
        guild, user, 99, gifter=None, gift_name=None, count=1, coins=0,
        diamonds=Decimal(diamonds), now=now,
    )  # fmt: skip


async def test_group_lifecycle(storage: Storage) -> None:
    group = await storage.groups.create_group(G1, "  Night Owls  ", creator_id=42, now=NOW)
    assert (group.name, group.creator_id, group.member_count, group.created_at) == (
        "Night Owls", 42, 0, NOW,
    )  # fmt: skip
    await storage.groups.add_member(G1, "night owls", 7)
    await storage.groups.add_member(G1, "NIGHT OWLS", 8)
    fetched = await storage.groups.get_group(G1, "Night Owls")
    assert fetched.id == group.id and fetched.member_count == 2 and fetched.creator_id == 42
    await storage.groups.create_group(G1, "Alpha", creator_id=1)
    groups, total = await storage.groups.list_groups(G1)
    assert [(g.name, g.member_count) for g in groups] == [("Alpha", 0), ("Night Owls", 2)]
    assert total == 2
    await storage.groups.remove_member(G1, "Night Owls", 7)
    assert (await storage.groups.get_group(G1, "night owls")).member_count == 1
    await storage.groups.delete_group(G1, "NIGHT owls")
    with pytest.raises(NotFound):
        await storage.groups.get_group(G1, "Night Owls")
    again = await storage.groups.create_group(G1, "Night Owls", creator_id=3)
    assert again.member_count == 0  # memberships went with the deleted group
    assert (await storage.groups.get_group(G1, "Night Owls")).member_count == 0


async def test_membership_errors(storage: Storage) -> None:
    await storage.groups.create_group(G1, "Team", creator_id=1)
    await storage.groups.add_member(G1, "Team", 5)
    with pytest.raises(AlreadyExists) as twice:
        await storage.groups.add_member(G1, "team", 5)
    assert twice.value.what == "group member"
    await storage.groups.remove_member(G1, "Team", 5)
    with pytest.raises(NotFound) as gone:
        await storage.groups.remove_member(G1, "Team", 5)
    assert gone.value.what == "group member"
    for action in (
        storage.groups.add_member(G1, "Nope", 5),
        storage.groups.remove_member(G1, "Nope", 5),
        storage.groups.delete_group(G1, "Nope"),
        storage.groups.get_group(G1, "Nope"),
        storage.groups.group_members(G1, "Nope"),
    ):
        with pytest.raises(NotFound) as missing:
            await action
        assert missing.value.what == "group"


async def test_group_names_must_be_sane(storage: Storage) -> None:
    for bad in ("", "   ", "x" * 200, "y" * 33, "new\nline", "nul\x00", "rtl\u202eflip", "\t"):
        with pytest.raises(InvalidValue):
            await storage.groups.create_group(G1, bad, creator_id=1)
    assert (await storage.groups.create_group(G1, "z" * 32, creator_id=1)).name == "z" * 32
    assert (await storage.groups.create_group(G1, f"  {'w' * 32}  ", creator_id=1)).name == "w" * 32
    assert (await storage.groups.list_groups(G1))[1] == 2  # none of the bad names got in


async def test_group_names_are_stored_literally(storage: Storage, backend: Backend) -> None:
    tricky = [
        "x'); DROP TABLE user_totals;--",
        "**bold** _it_ `code`",
        "@everyone <@123>",
        "Robert'); --",
        "👨‍👩‍👧 family",
        "100% \\ _%",
    ]
    for name in tricky:
        await storage.groups.create_group(G1, name, creator_id=1)
    assert sorted(g.name for g in (await storage.groups.list_groups(G1))[0]) == sorted(tricky)
    for name in tricky:
        assert (await storage.groups.get_group(G1, name)).name == name
    with pytest.raises(NotFound):
        await storage.groups.get_group(G1, "100% \\ _x")  # LIKE wildcards mean nothing
    await raw_diamonds(storage, G1, 1, 5)
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 5  # table still there
    assert await backend.scalar("SELECT COUNT(*) FROM received_totals") == 3


async def test_group_names_are_unique_ignoring_case(storage: Storage) -> None:
    await storage.groups.create_group(G1, "Team A", creator_id=1)
    for clash in ("team a", "TEAM A", "  Team A ", "Team  A", "ＴＥＡＭ Ａ"):
        with pytest.raises(AlreadyExists) as caught:
            await storage.groups.create_group(G1, clash, creator_id=2)
        assert caught.value.what == "group"
    await storage.groups.create_group(G1, "Straße", creator_id=1)
    with pytest.raises(AlreadyExists):
        await storage.groups.create_group(G1, "STRASSE", creator_id=1)
    assert (await storage.groups.get_group(G1, "strasse")).name == "Straße"
    assert (await storage.groups.list_groups(G1))[1] == 2


async def test_group_members_show_period_totals(storage: Storage) -> None:
    await storage.groups.create_group(G1, "Squad", creator_id=1)
    for user in (30, 10, 20, 40):
        await storage.groups.add_member(G1, "Squad", user)
    october = datetime(2026, 10, 10, tzinfo=UTC)
    await raw_diamonds(storage, G1, 10, 50, now=NOW)
    await raw_diamonds(storage, G1, 20, 80, now=october)
    await raw_diamonds(storage, G1, 30, 50, now=NOW)
    await raw_diamonds(storage, G1, 77, 900, now=NOW)
    group, members = await storage.groups.group_members(G1, "squad")
    assert group.name == "Squad" and members == [
        MemberTotal(20, Decimal(80)),
        MemberTotal(10, Decimal(50)),
        MemberTotal(30, Decimal(50)),
        MemberTotal(40, Decimal(0)),
    ]
    _, month = await storage.groups.group_members(G1, "Squad", "month", now=NOW)
    assert month == [(10, 50), (30, 50), (20, 0), (40, 0)]
    await storage.groups.create_group(G1, "Empty", creator_id=1)
    assert (await storage.groups.group_members(G1, "Empty"))[1] == []


async def test_groups_are_per_guild(storage: Storage) -> None:
    await storage.groups.create_group(G1, "Team", creator_id=1)
    await storage.groups.create_group(G2, "team", creator_id=2)  # same name, other server: fine
    await storage.groups.add_member(G1, "Team", 5)
    await raw_diamonds(storage, G2, 5, 9)
    assert (await storage.groups.get_group(G2, "Team")).member_count == 0
    assert (await storage.groups.group_members(G1, "Team"))[1] == [(5, 0)]  # G2's don't leak
    await storage.groups.delete_group(G2, "TEAM")
    assert (await storage.groups.get_group(G1, "team")).member_count == 1
    with pytest.raises(NotFound):
        await storage.groups.add_member(G2, "Team", 5)
    assert [g.guild_id for g in (await storage.groups.list_groups(G1))[0]] == [G1]
    assert await storage.groups.list_groups(G2) == ([], 0)


def test_clean_name_and_key() -> None:
    assert clean_name("  Rose Squad ") == "Rose Squad"
    assert name_key("  ROSE   squad ") == "rose squad"
    assert name_key("ﬁre") == name_key("FIRE")  # NFKC ligature
    assert clean_name("🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scots") == "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scots"  # tag characters of a flag are allowed
    with pytest.raises(InvalidValue) as caught:
        clean_name("a" * 40, "group name")
    assert caught.value.what == "group name" and "32" in str(caught.value)
    with pytest.raises(InvalidValue):
        clean_name(123)  # type: ignore[arg-type]


@given(st.text(max_size=60))
def test_clean_name_accepts_only_sane_names(raw: str) -> None:
    try:
        name = clean_name(raw)
    except InvalidValue:
        return
    assert name == unicodedata.normalize("NFKC", raw).strip()
    assert 1 <= len(name) <= MAX_NAME_LENGTH
    assert not any(ch in name for ch in "\n\r\t\x00\u202e\u2028")
    key = name_key(name)
    assert key == key.strip() and "  " not in key


# -- consent, caps, look-alikes --------------------------------------------------------------


async def test_joining_needs_the_groups_consent(storage: Storage) -> None:
    group = await storage.groups.create_group(G1, "Agency", creator_id=1)
    request = await storage.groups.request_join(G1, "agency", 5, now=NOW)
    assert (request.group.id, request.user_id) == (group.id, 5)
    assert (await storage.groups.get_group(G1, "Agency")).member_count == 0  # not yet
    with pytest.raises(AlreadyExists) as twice:
        await storage.groups.request_join(G1, "Agency", 5)
    assert twice.value.what == "join request"
    joined = await storage.groups.decide_request(G1, group.id, 5, "approved")
    assert joined.member_count == 1
    with pytest.raises(NotFound):  # a second press finds nothing to decide
        await storage.groups.decide_request(G1, group.id, 5, "approved")
    with pytest.raises(AlreadyExists):
        await storage.groups.request_join(G1, "Agency", 5)  # already a member
    await storage.groups.remove_member(G1, "Agency", 5)
    await storage.groups.request_join(G1, "Agency", 5)  # a removed member must ask again
    assert (await storage.groups.decide_request(G1, group.id, 5, "declined")).member_count == 0
    with pytest.raises(NotFound):
        await storage.groups.decide_request(G2, group.id, 5, "approved")  # other server


async def test_adding_directly_settles_a_pending_request(storage: Storage) -> None:
    group = await storage.groups.create_group(G1, "Crew", creator_id=1)
    await storage.groups.request_join(G1, "Crew", 6)
    await storage.groups.add_member(G1, "Crew", 6)
    with pytest.raises(NotFound):
        await storage.groups.decide_request(G1, group.id, 6, "approved")


async def test_group_caps_hold_inside_the_write(storage: Storage) -> None:
    for i in range(MAX_GROUPS_PER_CREATOR):
        await storage.groups.create_group(G1, f"mine {i}", creator_id=1)
    with pytest.raises(LimitReached) as mine:
        await storage.groups.create_group(G1, "one more", creator_id=1)
    assert mine.value.what == "groups per creator"
    names = [f"team {i}" for i in range(MAX_GROUPS)]
    results = await asyncio.gather(
        *(storage.groups.create_group(G1, name, creator_id=100 + i // 5) for i, name in
          enumerate(names)),
        return_exceptions=True,
    )  # fmt: skip
    made = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, LimitReached)]
    assert len(made) == MAX_GROUPS - MAX_GROUPS_PER_CREATOR and refused
    assert (await storage.groups.list_groups(G1))[1] == MAX_GROUPS  # never more


@pytest.mark.parametrize(
    "name", ["\u3164", "a\u2800b", "\u115f\u1160", "zero\u200bwidth", "\u2060joined"]
)
async def test_invisible_names_are_refused(storage: Storage, name: str) -> None:
    with pytest.raises(InvalidValue):
        await storage.groups.create_group(G1, name, creator_id=1)


async def test_look_alike_names_are_refused(storage: Storage) -> None:
    await storage.groups.create_group(G1, "Alpha", creator_id=1)
    for look_alike in ("\u0410lpha", "\u0391LPHA", "ＡＬＰＨＡ"):  # Cyrillic, Greek, fullwidth
        with pytest.raises((LooksLike, AlreadyExists)):
            await storage.groups.create_group(G1, look_alike, creator_id=2)
    await storage.groups.create_group(G2, "\u0410lpha", creator_id=2)  # other server: fine


async def test_group_names_for_autocomplete(storage: Storage) -> None:
    for name in ("Beta", "Alpha team", "Team Alpha", "alpine", "Omega"):
        await storage.groups.create_group(G1, name, creator_id=len(name))
    assert await storage.groups.group_names(G1, "alp") == ["Alpha team", "alpine", "Team Alpha"]
    assert await storage.groups.group_names(G1, "") == [
        "Alpha team", "alpine", "Beta", "Omega", "Team Alpha",
    ]  # fmt: skip
    assert await storage.groups.group_names(G1, "%") == []
    assert len(await storage.groups.group_names(G1, "", limit=2)) == 2
