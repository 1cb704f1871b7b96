"""/settings through discord.py's real interaction path: per-server figures, refusals, audit."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.offline import FakeGuild, OfflineDiscord
from economy.storage import GuildSettings, fx_key, override_key
from tests.support.people import ALICE, GUILD, MANAGER, OTHER_GUILD
from tests.support.replies import CHANNEL_MESSAGE, embed_of, field, only_reply, refusal

pytestmark = pytest.mark.usefixtures("unlimited")  # more writes than a person may make


async def change(
    offline: OfflineDiscord, path: str, options: dict[str, Any], guild: FakeGuild = GUILD
) -> dict[str, Any]:
    """A manager's successful change: answered once, publicly, with an embed."""
    reply = only_reply(await offline.command(path, options, user=MANAGER, guild=guild))
    assert reply.callback_type == CHANNEL_MESSAGE and not reply.ephemeral, reply.text()
    return embed_of(reply)


async def show(offline: OfflineDiscord, guild: FakeGuild = GUILD, locale: str = "en-US") -> str:
    reply = only_reply(
        await offline.command("settings show", {}, user=MANAGER, guild=guild, locale=locale)
    )
    assert reply.ephemeral
    return reply.text()


async def galaxy_x2(offline: OfflineDiscord, guild: FakeGuild | None) -> dict[str, Any]:
    replies = await offline.command(
        "gift value", {"gift": "galaxy", "count": 2}, user=ALICE, guild=guild
    )
    return embed_of(only_reply(replies))


async def stored(offline: OfflineDiscord, guild: FakeGuild = GUILD) -> tuple[Any, ...]:
    storage = offline.bot.storage
    return (
        await storage.guild_settings.get_settings(guild.id),
        await storage.guild_settings.list_custom_gifts(guild.id),
        await storage.guild_settings.settings_history(guild.id),
    )


async def test_one_server_on_guides_another_keeps_tiktok(offline: OfflineDiscord) -> None:
    before = await galaxy_x2(offline, GUILD)  # cached under the default (tiktok) before the change
    assert field(before, "Diamonds to the creator") == "2,000"

    embed = await change(offline, "settings preset", {"name": "guides"})
    assert "TikTok's model → creator guides' model" in embed["description"]
    assert "creator guides' model" in embed["footer"]["text"]

    mine = await galaxy_x2(offline, GUILD)
    assert field(mine, "Diamonds to the creator") == "1,000"
    assert field(mine, "Creator's gross") == "$5.00"
    assert field(mine, "Creator's net") == "$2.50"
    assert "creator guides' model" in mine["footer"]["text"]
    for elsewhere in (OTHER_GUILD, None):
        theirs = await galaxy_x2(offline, elsewhere)
        assert field(theirs, "Diamonds to the creator") == "2,000"
        assert field(theirs, "Creator's gross") == "$10.00"
        assert field(theirs, "Creator's net") == "$10.00"
        assert "TikTok's model" in theirs["footer"]["text"]


CHANGES: list[tuple[str, dict[str, Any]]] = [
    ("settings preset", {"name": "guides"}),
    ("settings set", {"figure": "cashout_cut", "value": 10}),
    ("settings reset", {}),
    ("settings reset", {"figure": "usd_per_diamond"}),
    ("settings currency", {"code": "BRL"}),
    ("settings fx", {"code": "IDR", "rate": 15_000}),
    ("settings fx", {"code": "BRL"}),
    ("settings tally-others", {"who": "everyone"}),
    ("settings leaderboard", {"enabled": "off"}),
    ("settings gift-add", {"name": "Pizza", "coins": 500}),
    ("settings gift-remove", {"name": "Taco"}),
]


async def test_members_without_manage_server_change_nothing(offline: OfflineDiscord) -> None:
    await change(offline, "settings set", {"figure": "usd_per_diamond", "value": 0.004})
    await change(offline, "settings fx", {"code": "BRL", "rate": 5})
    await change(offline, "settings gift-add", {"name": "Taco", "coins": 77})
    before_config, before_gifts, before_history = await stored(offline)
    before_show = await show(offline)

    for path, options in CHANGES:
        message = refusal(await offline.command(path, options, user=ALICE, guild=GUILD))
        assert "Manage Server" in message, (path, message)

    config, gifts, history = await stored(offline)
    assert (config, gifts, history) == (before_config, before_gifts, before_history)
    assert await show(offline) == before_show
    assert field(await galaxy_x2(offline, GUILD), "Creator's gross") == "$8.00"  # 2,000 x 0.004


async def test_a_fresh_server_shows_the_preset_and_refuses_members(offline: OfflineDiscord) -> None:
    for path, options in CHANGES:
        refusal(await offline.command(path, options, user=ALICE, guild=GUILD))
    assert await stored(offline) == (GuildSettings(), [], [])
    text = await show(offline)
    assert "Cut at cash-out: **0%** · TikTok's model · Nov 25, 2026" in text
    assert "server override" not in text
    assert "Custom gifts: 0" in text


async def test_an_override_shows_in_show_and_history(offline: OfflineDiscord) -> None:
    embed = await change(offline, "settings set", {"figure": "cashout_cut", "value": 40})
    assert "**Cut at cash-out**: 0% → 40%" in embed["description"]
    assert "next command" in embed["description"]

    today = datetime.now(UTC).date()
    on_the_day = f"{today:%b} {today.day}, {today.year}"  # the day in English: Nov 26, 2026
    assert f"Cut at cash-out: **40%** · server override · {on_the_day}" in await show(offline)
    config, _, _ = await stored(offline)
    assert config.overrides == {"cashout_cut": "0.4"}

    history = only_reply(await offline.command("settings history", {}, user=MANAGER, guild=GUILD))
    assert history.ephemeral
    line = embed_of(history)["description"].splitlines()[0]
    assert f"<@{MANAGER.id}>" in line and "Cut at cash-out: default → 40%" in line
    assert line.startswith("<t:")

    # The next command uses it: 1,000 diamonds = $5.00 gross, $3.00 after a 40% cut.
    replies = await offline.command("diamonds", {"amount": 1_000}, user=ALICE, guild=GUILD)
    assert field(embed_of(only_reply(replies)), "You take home") == "$3.00"


async def test_history_is_newest_first_with_old_and_new(offline: OfflineDiscord) -> None:
    await change(offline, "settings currency", {"code": "IDR"})
    await change(offline, "settings currency", {"code": "BRL"})
    await change(offline, "settings leaderboard", {"enabled": "off"})
    history = only_reply(await offline.command("settings history", {}, user=MANAGER, guild=GUILD))
    lines = embed_of(history)["description"].splitlines()
    assert [line.split(" · ", 2)[2] for line in lines] == [
        "Leaderboard: default → off",
        "Currency: IDR → BRL",
        "Currency: default → IDR",
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"figure": "cashout_cut", "value": 100}, "from 0% to below 100%"),
        ({"figure": "cashout_cut", "value": -5}, "from 0% to below 100%"),
        ({"figure": "agency_cut_default", "value": 250}, "from 0% to below 100%"),
        ({"figure": "diamonds_per_coin", "value": 0}, "above 0 and at most 1"),
        ({"figure": "diamonds_per_coin", "value": 2}, "above 0 and at most 1"),
        ({"figure": "usd_per_diamond", "value": 5}, "at most 0.05 USD"),
        ({"figure": "daily_cap_usd", "value": 0}, "Daily cash-out limit must be"),
        ({"figure": "minimum_withdrawal_usd", "value": 10**7}, "from 0 USD to 10,000 USD"),
        ({"figure": "creator_fund_low", "value": 0.5}, "can't be above Creator Fund, high"),
        ({"figure": "creator_rewards_high", "value": 0.1}, "can't be above Creator Rewards"),
        ({"figure": "usd_per_diamond", "value": math.nan}, "not a number"),
        ({"figure": "usd_per_diamond", "value": math.inf}, "not a number"),
        ({"figure": "nonsense", "value": 1}, "not a valid choice"),
    ],
)
async def test_bad_figures_are_refused_and_nothing_written(
    offline: OfflineDiscord, options: dict[str, Any], expected: str
) -> None:
    message = refusal(await offline.command("settings set", options, user=MANAGER, guild=GUILD))
    assert expected in message
    assert await stored(offline) == (GuildSettings(), [], [])


@pytest.mark.parametrize(
    ("path", "options", "expected"),
    [
        ("settings fx", {"code": "IDR", "rate": 166_000}, "between 3,568.16 and 89,204"),
        ("settings fx", {"code": "IDR", "rate": 0}, "between 3,568.16 and 89,204"),
        ("settings fx", {"code": "USD", "rate": 1}, "not a valid choice"),
        ("settings fx", {"code": "EUR"}, "not overridden"),
        ("settings currency", {"code": "XXX"}, "not a valid choice"),
        ("settings currency", {"code": "USD"}, "already USD"),
        ("settings preset", {"name": "tiktok"}, "already TikTok's model"),
        ("settings preset", {"name": "nope"}, "not a valid choice"),
        ("settings tally-others", {"who": "managers"}, "already managers only"),
        ("settings leaderboard", {"enabled": "on"}, "already on"),
        ("settings reset", {}, "Nothing to reset"),
        ("settings reset", {"figure": "cashout_cut"}, "not overridden"),
        ("settings gift-add", {"name": "rose", "coins": 10}, 'gift called "rose" already'),
        ("settings gift-add", {"name": "Rosé ", "coins": 10}, "already exists"),
        ("settings gift-add", {"name": "!!!", "coins": 10}, "at least one letter or digit"),
        ("settings gift-add", {"name": "   ", "coins": 10}, "1 to 32 characters"),
        ("settings gift-add", {"name": "Pizza", "coins": 0}, "from 1 to 1,000,000 coins"),
        ("settings gift-add", {"name": "Pizza", "coins": 10**7}, "from 1 to 1,000,000 coins"),
        ("settings gift-remove", {"name": "Pizza"}, 'no custom gift called "Pizza"'),
    ],
)
async def test_other_refusals_write_nothing(
    offline: OfflineDiscord, path: str, options: dict[str, Any], expected: str
) -> None:
    message = refusal(await offline.command(path, options, user=MANAGER, guild=GUILD))
    assert expected in message
    assert await stored(offline) == (GuildSettings(), [], [])


async def test_server_currency_shows_beside_usd(offline: OfflineDiscord) -> None:
    embed = await change(offline, "settings currency", {"code": "IDR"})
    assert "USD → IDR" in embed["description"]

    def gross(replies) -> str:
        return field(embed_of(only_reply(replies)), "Gross")

    here = await offline.command("diamonds", {"amount": 1_000}, user=ALICE, guild=GUILD)
    assert gross(here) == "$5.00 (≈ IDR89,204)"
    in_id = await offline.command(
        "diamonds", {"amount": 1_000}, user=ALICE, guild=GUILD, locale="id"
    )
    assert field(embed_of(only_reply(in_id)), "Kotor") == "US$5,00 (≈ Rp89.204)"
    there = await offline.command("diamonds", {"amount": 1_000}, user=ALICE, guild=OTHER_GUILD)
    assert gross(there) == "$5.00"

    await change(offline, "settings fx", {"code": "IDR", "rate": 16_000})
    here = await offline.command("diamonds", {"amount": 1_000}, user=ALICE, guild=GUILD)
    assert gross(here) == "$5.00 (≈ IDR80,000)"
    today = datetime.now(UTC).date()
    on_the_day = f"{today:%b} {today.day}, {today.year}"
    assert f"IDR: **16,000** · server override · {on_the_day}" in await show(offline)

    embed = await change(offline, "settings fx", {"code": "IDR"})
    assert "16,000 → 17,840.8" in embed["description"]
    here = await offline.command("diamonds", {"amount": 1_000}, user=ALICE, guild=GUILD)
    assert gross(here) == "$5.00 (≈ IDR89,204)"


async def test_custom_gifts_belong_to_their_server(offline: OfflineDiscord) -> None:
    embed = await change(offline, "settings gift-add", {"name": "Pizza Party", "coins": 500})
    assert "**Pizza Party**: 500 coins = 500 diamonds, $2.50 gross" in embed["description"]

    offered = await offline.autocomplete("gift value", "gift", "pizza", user=ALICE, guild=GUILD)
    assert offered and offered[0]["value"] == "Pizza Party"
    elsewhere = await offline.autocomplete(
        "gift value", "gift", "pizza", user=ALICE, guild=OTHER_GUILD
    )
    assert all(choice["value"] != "Pizza Party" for choice in elsewhere)
    in_dm = await offline.autocomplete("gift value", "gift", "pizza", user=ALICE)
    assert all(choice["value"] != "Pizza Party" for choice in in_dm)

    replies = await offline.command(
        "gift value", {"gift": "Pizza Party", "count": 4}, user=ALICE, guild=GUILD
    )
    value = embed_of(only_reply(replies))
    assert field(value, "Diamonds to the creator") == "2,000"
    assert field(value, "Creator's gross") == "$10.00"
    refused = refusal(
        await offline.command("gift value", {"gift": "Pizza Party"}, user=ALICE, guild=OTHER_GUILD)
    )
    assert "no gift called" in refused

    removable = await offline.autocomplete(
        "settings gift-remove", "name", "piz", user=MANAGER, guild=GUILD
    )
    assert [choice["value"] for choice in removable] == ["Pizza Party"]
    embed = await change(offline, "settings gift-remove", {"name": "pizza party"})
    assert "Pizza Party" in embed["description"] or "pizza party" in embed["description"]
    gone = refusal(
        await offline.command("gift value", {"gift": "Pizza Party"}, user=ALICE, guild=GUILD)
    )
    assert "no gift called" in gone
    history = only_reply(await offline.command("settings history", {}, user=MANAGER, guild=GUILD))
    lines = embed_of(history)["description"].splitlines()
    assert "Custom gift Pizza Party: 500 coins → default" in lines[0]
    assert "Custom gift Pizza Party: default → 500 coins" in lines[1]


async def test_reset_one_figure_then_everything(offline: OfflineDiscord) -> None:
    await change(offline, "settings set", {"figure": "cashout_cut", "value": 40})
    await change(offline, "settings set", {"figure": "daily_cap_usd", "value": 500})
    await change(offline, "settings fx", {"code": "BRL", "rate": 5})

    embed = await change(offline, "settings reset", {"figure": "cashout_cut"})
    assert "**Cut at cash-out**: 40% → 0%" in embed["description"]
    config, _, _ = await stored(offline)
    assert config.overrides == {"daily_cap_usd": "500"} and config.fx_overrides == {"BRL": "5"}

    embed = await change(offline, "settings reset", {})
    assert "1,000 USD" in embed["description"] and "5 → 4.96859" in embed["description"]
    config, _, _ = await stored(offline)
    assert config.overrides == {} and config.fx_overrides == {}
    assert "server override" not in await show(offline)


async def test_view_ranges_can_be_moved_in_either_order(offline: OfflineDiscord) -> None:
    # Both below the shipped low (0.02): the low bound must move first, and the stored pair
    # must still apply whatever order the profile applies them in.
    await change(offline, "settings set", {"figure": "creator_fund_low", "value": 0.005})
    await change(offline, "settings set", {"figure": "creator_fund_high", "value": 0.01})
    replies = await offline.command(
        "payout views",
        {"views": 1_000_000, "program": "creator-fund"},
        user=ALICE,
        guild=GUILD,
    )
    assert field(embed_of(only_reply(replies)), "Creator Fund").startswith("$5.00 to $10.00\n")
    message = refusal(
        await offline.command(
            "settings reset", {"figure": "creator_fund_low"}, user=MANAGER, guild=GUILD
        )
    )
    assert "Reset Creator Fund, high" in message
    config, _, _ = await stored(offline)
    assert set(config.overrides) == {"creator_fund_low", "creator_fund_high"}


async def test_switches_and_show(offline: OfflineDiscord) -> None:
    await change(offline, "settings tally-others", {"who": "everyone"})
    await change(offline, "settings leaderboard", {"enabled": "off"})
    config, _, _ = await stored(offline)
    assert config.tally_others == "everyone" and config.leaderboard_enabled is False
    text = await show(offline)
    assert "Who may tally for others: everyone" in text and "Leaderboard: off" in text
    await change(offline, "settings leaderboard", {"enabled": "on"})
    assert "Leaderboard: on" in await show(offline)


async def test_show_speaks_the_callers_language(offline: OfflineDiscord) -> None:
    await change(offline, "settings currency", {"code": "BRL"})
    text = await show(offline, locale="pt-BR")
    assert "Configurações deste servidor" in text
    assert "Taxa no saque: **0%** · modelo do TikTok · 25 de nov. de 2026" in text
    assert "BRL ao lado do USD · preços de moedas: Brasil" in text
    assert "BRL: **4,96859** · ECB · 6 de out. de 2026" in text


async def test_settings_need_a_server(offline: OfflineDiscord) -> None:
    for path, options in [("settings show", {}), ("settings currency", {"code": "IDR"})]:
        message = refusal(await offline.command(path, options, user=MANAGER))
        assert "works in a server" in message


async def test_a_stale_stored_setting_does_not_break_the_server(offline: OfflineDiscord) -> None:
    """A custom gift that a newer catalog now ships, or an override that no longer fits."""
    storage = offline.bot.storage
    await storage.guild_settings.add_custom_gift(GUILD.id, "Rose", 5, actor_id=MANAGER.id)
    await storage.guild_settings.change_settings(
        GUILD.id, {override_key("cashout_cut"): "7"}, MANAGER.id
    )
    await storage.guild_settings.change_settings(GUILD.id, {fx_key("IDR"): "16000"}, MANAGER.id)
    offline.bot.profiles.forget(GUILD.id)

    value = await galaxy_x2(offline, GUILD)
    assert field(value, "Creator's net") == "$10.00"  # the preset's (no) cut still applies
    rose = await offline.command("gift value", {"gift": "rose"}, user=ALICE, guild=GUILD)
    assert field(embed_of(only_reply(rose)), "Coins spent") == "1"
    text = await show(offline)
    assert "not applied" in text and "Custom gift Rose" in text and "Cut at cash-out" in text
    assert "IDR: **16,000** · server override" in text
    embed = await change(offline, "settings reset", {"figure": "cashout_cut"})
    assert "Cut at cash-out" in embed["description"]


async def test_a_profile_built_while_settings_change_is_not_kept(
    offline: OfflineDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    profiles, store = offline.bot.profiles, offline.bot.storage.guild_settings
    real = store.stored_settings

    async def change_midway(guild_id: int, dated: int = 100):
        stored = await real(guild_id, dated)  # read under the default, tiktok
        await store.change_settings(guild_id, {"preset": "guides"}, MANAGER.id)
        profiles.forget(guild_id)
        return stored

    monkeypatch.setattr(store, "stored_settings", change_midway)
    assert (await profiles.get(GUILD.id)).rates.preset == "tiktok"
    monkeypatch.setattr(store, "stored_settings", real)
    assert (await profiles.get(GUILD.id)).rates.preset == "guides"
