"""Groups and name rules of SqliteStorage (real files)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from economy.errors import AlreadyExists, InvalidValue, NotFound
from economy.limits import MAX_NAME_LENGTH
from economy.names import clean_name, name_key
from economy.storage import MemberTotal, SqliteStorage

G1, G2 = 1001, 1002
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


async def test_group_lifecycle(storage: SqliteStorage) -> None:
    group = await storage.groups.create_group(G1, "  Night Owls  ", creator_id=42, now=NOW)
    assert (group.name, group.creator_id, group.member_count, group.created_at) == (
        "Night Owls", 42, 0, NOW,
    )  # fmt: skip
    await storage.groups.add_member(G1, "night owls", 7)
    await storage.groups.add_member(G1, "NIGHT OWLS", 8)
    fetched = await storage.groups.get_group(G1, "Night Owls")
    assert fetched.id == group.id and fetched.member_count == 2 and fetched.creator_id == 42
    await storage.groups.create_group(G1, "Alpha", creator_id=1)
    assert [(g.name, g.member_count) for g in await storage.groups.list_groups(G1)] == [
        ("Alpha", 0),
        ("Night Owls", 2),
    ]
    await storage.groups.remove_member(G1, "Night Owls", 7)
    assert (await storage.groups.get_group(G1, "night owls")).member_count == 1
    await storage.groups.delete_group(G1, "NIGHT owls")
    with pytest.raises(NotFound):
        await storage.groups.get_group(G1, "Night Owls")
    again = await storage.groups.create_group(G1, "Night Owls", creator_id=3)
    assert again.member_count == 0  # memberships went with the deleted group
    assert (await storage.groups.get_group(G1, "Night Owls")).member_count == 0


async def test_membership_errors(storage: SqliteStorage) -> None:
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


async def test_group_names_must_be_sane(storage: SqliteStorage) -> None:
    for bad in ("", "   ", "x" * 200, "y" * 33, "new\nline", "nul\x00", "rtl\u202eflip", "\t"):
        with pytest.raises(InvalidValue):
            await storage.groups.create_group(G1, bad, creator_id=1)
    assert (await storage.groups.create_group(G1, "z" * 32, creator_id=1)).name == "z" * 32
    assert (await storage.groups.create_group(G1, f"  {'w' * 32}  ", creator_id=1)).name == "w" * 32
    assert len(await storage.groups.list_groups(G1)) == 2  # none of the bad names got in


async def test_group_names_are_stored_literally(storage: SqliteStorage, tmp_path: Path) -> None:
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
    assert sorted(g.name for g in await storage.groups.list_groups(G1)) == sorted(tricky)
    for name in tricky:
        assert (await storage.groups.get_group(G1, name)).name == name
    with pytest.raises(NotFound):
        await storage.groups.get_group(G1, "100% \\ _x")  # LIKE wildcards mean nothing
    await storage.ledger.add_entry(G1, 1, 2, gift_name=None, count=1, coins=0, diamonds=5)
    assert (await storage.ledger.user_summary(G1, 1)).diamonds_received == 5  # table still there
    with sqlite3.connect(tmp_path / "bot.sqlite") as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "user_totals" in names


async def test_group_names_are_unique_ignoring_case(storage: SqliteStorage) -> None:
    await storage.groups.create_group(G1, "Team A", creator_id=1)
    for clash in ("team a", "TEAM A", "  Team A ", "Team  A", "ＴＥＡＭ Ａ"):
        with pytest.raises(AlreadyExists) as caught:
            await storage.groups.create_group(G1, clash, creator_id=2)
        assert caught.value.what == "group"
    await storage.groups.create_group(G1, "Straße", creator_id=1)
    with pytest.raises(AlreadyExists):
        await storage.groups.create_group(G1, "STRASSE", creator_id=1)
    assert (await storage.groups.get_group(G1, "strasse")).name == "Straße"
    assert len(await storage.groups.list_groups(G1)) == 2


async def test_group_members_show_period_totals(storage: SqliteStorage) -> None:
    await storage.groups.create_group(G1, "Squad", creator_id=1)
    for user in (30, 10, 20, 40):
        await storage.groups.add_member(G1, "Squad", user)
    october = datetime(2026, 10, 10, tzinfo=UTC)
    await storage.ledger.add_entry(
        G1, 10, 99, gift_name=None, count=1, coins=0, diamonds=50, now=NOW
    )
    await storage.ledger.add_entry(
        G1, 20, 99, gift_name=None, count=1, coins=0, diamonds=80, now=october
    )
    await storage.ledger.add_entry(
        G1, 30, 99, gift_name=None, count=1, coins=0, diamonds=50, now=NOW
    )
    await storage.ledger.add_entry(
        G1, 77, 99, gift_name=None, count=1, coins=0, diamonds=900, now=NOW
    )
    assert await storage.groups.group_members(G1, "squad") == [
        MemberTotal(20, 80),
        MemberTotal(10, 50),
        MemberTotal(30, 50),
        MemberTotal(40, 0),
    ]
    month = await storage.groups.group_members(G1, "Squad", "month", now=NOW)
    assert month == [(10, 50), (30, 50), (20, 0), (40, 0)]
    await storage.groups.create_group(G1, "Empty", creator_id=1)
    assert await storage.groups.group_members(G1, "Empty") == []


async def test_groups_are_per_guild(storage: SqliteStorage) -> None:
    await storage.groups.create_group(G1, "Team", creator_id=1)
    await storage.groups.create_group(G2, "team", creator_id=2)  # same name, other server: fine
    await storage.groups.add_member(G1, "Team", 5)
    await storage.ledger.add_entry(G2, 5, 6, gift_name=None, count=1, coins=0, diamonds=9)
    assert (await storage.groups.get_group(G2, "Team")).member_count == 0
    assert await storage.groups.group_members(G1, "Team") == [(5, 0)]  # G2's diamonds don't leak
    await storage.groups.delete_group(G2, "TEAM")
    assert (await storage.groups.get_group(G1, "team")).member_count == 1
    with pytest.raises(NotFound):
        await storage.groups.add_member(G2, "Team", 5)
    assert [g.guild_id for g in await storage.groups.list_groups(G1)] == [G1]
    assert await storage.groups.list_groups(G2) == []


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
    assert name == raw.strip() and 1 <= len(name) <= MAX_NAME_LENGTH
    assert not any(ch in name for ch in "\n\r\t\x00\u202e\u2028")
    key = name_key(name)
    assert key == key.strip() and "  " not in key
