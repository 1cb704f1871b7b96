"""The lookup commands, driven through discord.py's real interaction path."""

from __future__ import annotations

import logging
import re

import pytest

from bot.offline import OfflineDiscord
from tests.support.people import ALICE, BOB, GUILD
from tests.support.replies import (
    CHANNEL_MESSAGE,
    UPDATE_MESSAGE,
    buttons,
    embed_of,
    field,
    only_reply,
    refusal,
)


@pytest.mark.parametrize("guild", [GUILD, None], ids=["guild", "dm"])
async def test_gift_value_galaxy_x2_by_default(offline: OfflineDiscord, guild) -> None:
    replies = await offline.command(
        "gift value", {"gift": "galaxy", "count": 2}, user=ALICE, guild=guild
    )
    reply = only_reply(replies)
    assert reply.callback_type == CHANNEL_MESSAGE and not reply.ephemeral
    embed = embed_of(reply)
    assert embed["title"] == "Galaxy × 2"
    assert field(embed, "Coins spent") == "2,000"
    assert field(embed, "Diamonds to the creator") == "2,000"
    assert field(embed, "Creator's gross") == "$10.00"
    assert field(embed, "Creator's net") == "$10.00"
    assert field(embed, "What the viewer paid").startswith("about $30.46")  # 2,000 x 0.99 / 65
    assert "TikTok's model" in embed["footer"]["text"]


async def test_gift_value_web_store_costs_less_than_app(offline: OfflineDiscord) -> None:
    def price(replies) -> float:
        text = field(embed_of(only_reply(replies)), "Buying the coins")
        return float(re.match(r"\$([\d,.]+)", text).group(1).replace(",", ""))

    app = await offline.command("gift value", {"gift": "lion"}, user=ALICE, guild=GUILD)
    web = await offline.command(
        "gift value", {"gift": "lion", "store": "web"}, user=ALICE, guild=GUILD
    )
    assert price(web) < price(app)


async def test_unknown_gift_is_refused_with_suggestions(offline: OfflineDiscord) -> None:
    message = refusal(
        await offline.command("gift value", {"gift": "qqqzzzxxx"}, user=ALICE, guild=GUILD)
    )
    assert "qqqzzzxxx" in message and "Did you mean" in message


@pytest.mark.parametrize("count", [0, -5, 1_000_001, 10**15])
async def test_count_outside_bounds_is_refused(offline: OfflineDiscord, count: int) -> None:
    message = refusal(
        await offline.command(
            "gift value", {"gift": "rose", "count": count}, user=ALICE, guild=GUILD
        )
    )
    assert "1,000,000" in message or "1000000" in message


async def test_gift_autocomplete_offers_at_most_25(offline: OfflineDiscord) -> None:
    for typed in ("", "gal", "x" * 500, "🌹💎", "'; DROP TABLE--"):
        choices = await offline.autocomplete("gift value", "gift", typed, user=ALICE, guild=GUILD)
        assert len(choices) <= 25
        assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    galaxy = await offline.autocomplete("gift value", "gift", "gala", user=ALICE, guild=GUILD)
    assert galaxy and galaxy[0]["value"] == "Galaxy"
    assert len(await offline.autocomplete("gift value", "gift", "", user=ALICE)) == 25


async def test_gift_list_pages_with_buttons_only_for_the_caller(offline: OfflineDiscord) -> None:
    reply = only_reply(await offline.command("gift list", {}, user=ALICE, guild=GUILD))
    first_page = embed_of(reply)["description"]
    prices = [int(line.rsplit(": ", 1)[1].replace(",", "")) for line in first_page.splitlines()]
    assert len(prices) == 15 and prices == sorted(prices) and prices[0] == 1
    assert set(buttons(reply)) == {"pager:prev", "pager:next"}
    assert buttons(reply)["pager:prev"].get("disabled") is True

    stranger = await offline.press(reply.message_id, "pager:next", user=BOB, guild=GUILD)
    assert "belong to whoever ran" in refusal(stranger)

    pressed = only_reply(
        await offline.press(reply.message_id, "pager:next", user=ALICE, guild=GUILD)
    )
    assert pressed.callback_type == UPDATE_MESSAGE
    second_page = embed_of(pressed)["description"]
    assert second_page != first_page
    assert "Page 2 of" in field(embed_of(pressed), "\u200b")


async def test_gift_list_filters_by_coin_range(offline: OfflineDiscord) -> None:
    reply = only_reply(
        await offline.command(
            "gift list", {"min_coins": 29999, "max_coins": 30000, "sort": "name"}, user=ALICE
        )
    )
    text = embed_of(reply)["description"]
    assert "**Lion**" in text and "**Rose**" not in text
    assert not reply.components


async def test_coins_shows_cheapest_bundles_and_what_they_buy(offline: OfflineDiscord) -> None:
    embed = embed_of(only_reply(await offline.command("coins", {"amount": 1000}, user=ALICE)))
    assert embed["title"] == "Buying 1,000 coins"
    assert "$" in field(embed, "Cheapest way")
    assert "Galaxy" in field(embed, "Enough for")


@pytest.mark.parametrize(
    ("diamonds", "gross", "net", "status"),
    [
        (1_000, "$5.00", "$5.00", "19,000 more diamonds"),
        (20_000, "$100.00", "$100.00", "can cash out"),
    ],
)
async def test_diamonds_payout_and_progress(offline, diamonds, gross, net, status) -> None:
    embed = embed_of(
        only_reply(await offline.command("diamonds", {"amount": diamonds}, user=ALICE))
    )
    assert field(embed, "Gross") == gross
    assert field(embed, "You take home") == net
    assert status in field(embed, "Minimum withdrawal")


async def test_payout_views_creator_fund(offline: OfflineDiscord) -> None:
    replies = await offline.command(
        "payout views", {"views": 1_000_000, "program": "creator-fund"}, user=ALICE, guild=GUILD
    )
    embed = embed_of(only_reply(replies))
    assert field(embed, "Creator Fund").splitlines()[0] == "$20.00 to $30.00"


async def test_payout_goal_in_gifts(offline: OfflineDiscord) -> None:
    replies = await offline.command(
        "payout goal", {"amount": 100, "gift": "galaxy"}, user=ALICE, guild=GUILD
    )
    embed = embed_of(only_reply(replies))
    assert field(embed, "Diamonds needed") == "20,000"
    assert field(embed, "Coins viewers must spend") == "20,000"
    assert field(embed, "Gifts that reach it") == "20 × Galaxy: nets $100.00"


async def test_about_names_assumptions(offline) -> None:
    about = embed_of(only_reply(await offline.command("about", {}, user=ALICE, guild=GUILD)))
    assert "Not affiliated" in about["description"]
    assert "TikTok's model" in field(about, "Figures in use")


async def test_unexpected_error_gives_a_reference_that_is_logged(
    offline: OfflineDiscord, monkeypatch, caplog
) -> None:
    import commands.diamonds as diamonds_cog

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(diamonds_cog, "payout_quote", broken)
    with caplog.at_level(logging.ERROR):
        message = refusal(await offline.command("diamonds", {"amount": 5}, user=ALICE))
    reference = re.search(r"Reference: ([0-9A-F]{6})", message).group(1)
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


@pytest.mark.parametrize("path", ["tally show", "group list", "settings show"])
async def test_server_only_commands_are_refused_in_dms(offline: OfflineDiscord, path: str) -> None:
    message = refusal(await offline.command(path, {}, user=ALICE))
    assert "works in a server" in message


async def test_buttons_no_view_listens_to_say_they_expired(offline: OfflineDiscord) -> None:
    reply = only_reply(await offline.command("gift list", {}, user=ALICE, guild=GUILD))
    for view in list(offline.bot.persistent_views) + list(
        offline.bot._connection._view_store._synced_message_views.values()
    ):
        view.stop()  # as after a timeout, or a restart
    message = refusal(await offline.press(reply.message_id, "pager:next", user=ALICE, guild=GUILD))
    assert "expired" in message


async def test_refusals_echo_user_text_inert(offline: OfflineDiscord) -> None:
    reply = only_reply(
        await offline.command("gift value", {"gift": "@everyone **qzxv**"}, user=ALICE, guild=GUILD)
    )
    assert reply.ephemeral and "\\*\\*qzxv\\*\\*" in reply.content
    assert "@everyone" not in reply.content.replace("@\u200beveryone", "")
    assert reply.allowed_mentions == {"parse": []}


async def test_disputed_prices_say_so_in_the_users_language(offline: OfflineDiscord) -> None:
    english = embed_of(
        only_reply(await offline.command("gift value", {"gift": "universe"}, user=ALICE))
    )
    assert english["title"] == "TikTok Universe × 1"
    assert "since Oct 2, 2023" in english["description"] and "34,999" in english["description"]
    portuguese = embed_of(
        only_reply(
            await offline.command("gift value", {"gift": "drama queen"}, user=ALICE, locale="pt-BR")
        )
    )
    assert "As fontes divergem" in portuguese["description"] and "199" in portuguese["description"]
    plain = embed_of(
        only_reply(await offline.command("gift value", {"gift": "galaxy"}, user=ALICE))
    )
    assert "description" not in plain or not plain["description"]


def test_every_caveat_in_the_catalog_has_text_in_every_language() -> None:
    from bot.i18n import SUPPORTED_LOCALES, catalogs
    from economy.catalog import default_catalog

    keys = {gift.caveat.key for gift in default_catalog() if gift.caveat is not None}
    assert keys, "the shipped catalog should explain its disputed prices"
    for locale in SUPPORTED_LOCALES:
        missing = {k for k in keys if f"gift.caveat.{k}" not in catalogs()[locale]}
        assert not missing, f"{locale} lacks {missing}"
