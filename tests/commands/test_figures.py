"""Figures people can trust (issue 9), through the real interaction path: TikTok's model by
default and the guides' on request, breakdowns that add up as shown, what the viewer pays,
today's gift names, goals, program availability, and where each figure comes from."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from bot.offline import OfflineDiscord
from tests.support.people import ALICE, GUILD, MANAGER, MEMBERS
from tests.support.replies import (
    beside,
    buttons,
    embed_of,
    field,
    money,
    only_reply,
    public_embed,
    refusal,
)
from tests.support.server_settings import on_guides, use_settings

pytestmark = pytest.mark.usefixtures("unlimited")  # more writes than a person may make


async def ask(offline: OfflineDiscord, path: str, options: dict[str, Any] | None = None, **kw: Any):
    kw.setdefault("guild", GUILD)
    return embed_of(only_reply(await offline.command(path, options or {}, user=ALICE, **kw)))


# -- the two models ---------------------------------------------------------------------------


async def test_a_galaxy_by_default_is_tiktoks_model(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "gift value", {"gift": "galaxy"})
    assert field(embed, "Diamonds to the creator") == "1,000"
    assert field(embed, "Creator's gross") == "$5.00"
    assert field(embed, "Cut at cash-out (0%)") == "none"
    assert field(embed, "Creator's net") == "$5.00"
    assert embed["footer"]["text"].startswith("Estimate · TikTok's model (as of Nov 25, 2026)")


async def test_a_galaxy_under_the_guides_is_their_numbers(offline: OfflineDiscord) -> None:
    await on_guides(offline)
    embed = await ask(offline, "gift value", {"gift": "galaxy"})
    assert field(embed, "Diamonds to the creator") == "500"
    assert field(embed, "Creator's gross") == "$2.50"
    assert field(embed, "Cut at cash-out (50%)") == "$1.25"
    assert field(embed, "Creator's net") == "$1.25"
    assert "creator guides' model" in embed["footer"]["text"]


@pytest.mark.parametrize(
    ("preset", "cut", "net"),
    [("tiktok", "none", "$5.00"), ("guides", "$2.50", "$2.50")],
)
async def test_a_thousand_diamonds(
    offline: OfflineDiscord, preset: str, cut: str, net: str
) -> None:
    await use_settings(offline, {"preset": preset})
    embed = await ask(offline, "diamonds", {"amount": 1000})
    assert field(embed, "Gross") == "$5.00"
    assert field(embed, "Cut at cash-out") == cut
    assert field(embed, "You take home") == net


async def test_the_guides_reproduce_the_seed_articles(offline: OfflineDiscord) -> None:
    """Seed 001: 100 coins -> 50 diamonds; 1,000 diamonds = $5, about $2.50 after the cut;
    the minimum is about $100 = 20,000 diamonds. Seed 002: $0.02-$0.03 per 1,000 views."""
    await on_guides(offline)
    gift = await ask(offline, "gift value", {"gift": "hand hearts"})  # 100 coins
    assert field(gift, "Coins spent") == "100" and field(gift, "Diamonds to the creator") == "50"
    diamonds = await ask(offline, "diamonds", {"amount": 1000})
    assert (field(diamonds, "Gross"), field(diamonds, "You take home")) == ("$5.00", "$2.50")
    assert "Minimum withdrawal: $100.00 (20,000 diamonds)" in [
        item["name"] for item in diamonds["fields"]
    ]
    views = await ask(offline, "payout views", {"views": 1000, "program": "creator-fund"})
    assert field(views, "Creator Fund").startswith("$0.02 to $0.03")


async def test_two_single_roses_under_the_guides_make_one_diamond(offline: OfflineDiscord) -> None:
    await on_guides(offline)
    for _ in range(2):
        added = public_embed(
            await offline.command("tally add", {"gift": "rose"}, user=ALICE, guild=GUILD)
        )
        assert field(added, "Diamonds added") == "+0.5"
    shown = public_embed(
        await offline.command("tally show", {}, user=ALICE, guild=GUILD, members=MEMBERS)
    )
    assert field(shown, "Diamonds received") == "1"


# -- breakdowns add up as shown ---------------------------------------------------------------


@pytest.mark.parametrize("diamonds", [1, 3, 7, 999, 1_001, 12_345, 20_001])
@pytest.mark.parametrize("currency", ["USD", "IDR", "BRL"])
async def test_gross_is_cut_plus_net_as_shown(offline: OfflineDiscord, diamonds, currency) -> None:
    await use_settings(offline, {"preset": "guides", "currency": currency})
    embed = await ask(offline, "diamonds", {"amount": diamonds})
    gross, cut, net = (field(embed, name) for name in ("Gross", "Cut at", "You take home"))
    assert money(gross) == money(cut) + money(net), (gross, cut, net)
    if currency != "USD":
        assert beside(gross) == beside(cut) + beside(net), (gross, cut, net)


async def test_amounts_under_ten_cents_keep_their_digits(offline: OfflineDiscord) -> None:
    one = await ask(offline, "diamonds", {"amount": 1})
    assert field(one, "Gross") == "$0.005"
    await on_guides(offline)
    three = await ask(offline, "diamonds", {"amount": 3})
    assert [field(three, name) for name in ("Gross", "Cut at", "You take home")] == [
        "$0.015",
        "$0.0075",
        "$0.0075",
    ]


# -- what the viewer pays ---------------------------------------------------------------------


async def test_a_rose_costs_about_a_cent_and_a_half_in_the_us_app(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "gift value", {"gift": "rose"})
    paid = field(embed, "What the viewer paid")
    assert paid.startswith("about $0.015 · at 65 coins for $0.99")
    assert "app store, United States" in paid
    assert field(embed, "Buying the coins") == "$0.99 · 1 × 65 · 1 purchase"


async def test_a_yacht_is_bought_in_a_handful_of_purchases(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "gift value", {"gift": "yacht"})
    plan = field(embed, "Buying the coins")
    purchases = int(re.search(r"(\d+) purchases?$", plan).group(1))
    packs = sum(int(qty) for qty in re.findall(r"(\d+) × ", plan))
    assert purchases == packs <= 5, plan
    assert field(embed, "What the viewer paid").startswith("about $304.62")  # 20,000 x 0.99/65


async def test_a_region_with_too_few_known_packs_says_so(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "gift value", {"gift": "lion", "region": "BR"})
    assert field(embed, "What the viewer paid").startswith("about R$1,889.94")
    plan = field(embed, "Buying the coins")
    assert plan.startswith("Too few known packs in the app store, Brazil to plan a purchase")
    assert "×" not in plan  # no invented plan


# -- today's catalog, matched honestly --------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name", "coins"),
    [
        ("hanging lights", "Hanging Lights", "199"),
        ("Pinch Cheek", "Pinch Cheek", "199"),
        ("game controller", "Game Controller", "100"),
        ("bouquet", "Bouquet", "500"),
        ("dinosaur", "Dinosaur", "1,000"),
        ("King of Legends", "King of Legends", "42,999"),
    ],
)
async def test_todays_gifts_resolve_at_their_prices(
    offline, typed: str, name: str, coins: str
) -> None:
    embed = await ask(offline, "gift value", {"gift": typed})
    assert embed["title"] == f"{name} × 1"
    assert field(embed, "Coins spent") == coins
    assert "closest" not in (embed.get("description") or "")


async def test_a_typo_names_the_closest_match(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "gift value", {"gift": "galxy"})
    assert embed["title"] == "Galaxy × 1"
    assert "No gift is called “galxy”; the closest match is **Galaxy**." in embed["description"]
    tally = public_embed(
        await offline.command("tally add", {"gift": "galxy"}, user=ALICE, guild=GUILD)
    )
    assert "the closest match is **Galaxy**" in tally["description"]


async def test_gifts_sharing_a_name_are_listed(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "gift value", {"gift": "bouquet"})
    note = embed["description"]
    assert "Bouquet (20 coins)" in note and "Bouquet (100 coins)" in note
    assert "This is **Bouquet**" in note
    twenty = await ask(offline, "gift value", {"gift": "Bouquet (20 coins)"})
    assert field(twenty, "Coins spent") == "20"


async def test_a_retired_gift_is_marked_and_not_offered(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "gift value", {"gift": "rocket"})
    assert "This gift is retired." in embed["description"]
    offered = await offline.autocomplete("gift value", "gift", "", user=ALICE, guild=GUILD)
    assert "Rocket" not in [choice["value"] for choice in offered]


# -- goals and programs -----------------------------------------------------------------------


async def test_a_small_goal_lists_gifts_that_do_not_overshoot(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "payout goal", {"amount": 2.5})
    lines = field(embed, "Gifts that reach it").splitlines()
    assert not any("Universe" in line for line in lines)
    for line in lines[:-1]:
        assert Decimal("2.50") <= money(line.split("nets", 1)[1]) < Decimal("5.00"), line
    assert lines[-1] == "Or one bigger gift: a single Galaxy nets $5.00."


async def test_a_goal_in_one_gift_and_one_bigger_than_the_goal(offline: OfflineDiscord) -> None:
    galaxies = await ask(offline, "payout goal", {"amount": 12, "gift": "galaxy"})
    assert field(galaxies, "Gifts that reach it") == "3 × Galaxy: nets $15.00"
    lion = await ask(offline, "payout goal", {"amount": 12, "gift": "lion"})
    assert field(lion, "Gifts that reach it") == (
        "A single Lion already nets $150.00, more than the goal."
    )


async def test_a_goal_in_rupiah_is_refused_in_rupiah(offline: OfflineDiscord) -> None:
    await use_settings(offline, {"currency": "IDR"})
    replies = await offline.command(
        "payout goal", {"amount": 100}, user=ALICE, guild=GUILD, locale="id"
    )
    message = refusal(replies)
    assert message.startswith("Target harus dari Rp179 sampai Rp")
    assert "(Anda mengetik Rp100)" in message
    fine = await ask(offline, "payout goal", {"amount": 89_204}, locale="id")
    assert fine["title"] == "Membawa pulang Rp89.204 (≈ US$5,00)"


async def test_each_program_says_where_it_runs_or_ran(offline: OfflineDiscord) -> None:
    embed = await ask(offline, "payout views", {"views": 1_000_000})
    rewards = field(embed, "Creator Rewards Program").splitlines()[1]
    assert rewards.startswith("Runs in United States, United Kingdom, Germany, France, Japan")
    assert "check in the app" in rewards and "Nov 26, 2025" in rewards
    fund = field(embed, "Creator Fund").splitlines()[1]
    assert fund.startswith("Ended on Dec 16, 2023 in United States")
    assert "(TikTok, Nov 6, 2023)" in fund


# -- where figures come from ------------------------------------------------------------------


async def test_converted_amounts_name_their_exchange_rates(offline: OfflineDiscord) -> None:
    plain = await ask(offline, "gift value", {"gift": "galaxy"})
    assert "exchange rates" not in plain["footer"]["text"]
    await use_settings(offline, {"currency": "IDR"})
    converted = await ask(offline, "gift value", {"gift": "galaxy"})
    assert field(converted, "Creator's gross") == "$5.00 (≈ IDR89,204)"
    assert "exchange rates: ECB, Oct 6, 2026" in converted["footer"]["text"]
    await use_settings(offline, {"fx:IDR": "16000"})
    overridden = await ask(offline, "gift value", {"gift": "galaxy"})
    assert field(overridden, "Creator's gross") == "$5.00 (≈ IDR80,000)"
    assert "exchange rates: this server's rate," in overridden["footer"]["text"]


async def test_no_preset_id_in_what_users_read(offline: OfflineDiscord) -> None:
    await on_guides(offline)
    texts = [
        only_reply(await offline.command(path, options, user=MANAGER, guild=GUILD)).text()
        for path, options in [
            ("gift value", {"gift": "galaxy"}),
            ("diamonds", {"amount": 5}),
            ("about", {}),
            ("settings show", {}),
        ]
    ]
    ids = r"\b(seed|one-to-one)\b|(preset|rates:) (tiktok|guides)\b|: (tiktok|guides)$"
    for text in texts:
        assert not re.search(ids, text, re.MULTILINE), text
    assert "Preset: creator guides' model" in texts[-1]


async def test_the_explanation_is_one_press_away_from_every_value_answer(offline) -> None:
    for path, options in [
        ("gift value", {"gift": "galaxy"}),
        ("coins", {"amount": 100}),
        ("diamonds", {"amount": 100}),
        ("payout views", {"views": 100}),
        ("payout goal", {"amount": 5}),
    ]:
        reply = only_reply(await offline.command(path, options, user=ALICE, guild=GUILD))
        assert buttons(reply)["p:how"]["label"] == "How is this worked out?", path
    pressed = only_reply(await offline.press(reply.message_id, "p:how", user=MANAGER, guild=GUILD))
    assert pressed.ephemeral
    how = embed_of(pressed)
    names = [item["name"] for item in how["fields"]]
    assert names == ["TikTok's model (used here)", "Creator guides' model", "Why they differ 4×"]
    assert "1,000 coins sent → 1,000 diamonds" in field(how, "TikTok's model")
    assert "$1.25" in field(how, "Creator guides' model")
    assert "Half of a half is a quarter" in field(how, "Why they differ")


async def test_the_money_flow_picture_follows_the_text_answer(offline: OfflineDiscord) -> None:
    replies = await offline.command("gift value", {"gift": "galaxy"}, user=ALICE, guild=GUILD)
    answer = only_reply(replies)
    assert "image" not in embed_of(answer)  # the text answer does not wait for the picture
    [added] = [r for r in replies if r.method == "PATCH"]
    [(name, png)] = added.files
    assert name == "money-flow.png" and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert added.embeds[0]["image"]["url"] == "attachment://money-flow.png"
    assert added.embeds[0]["fields"] == embed_of(answer)["fields"]


async def test_an_answer_stands_without_its_picture(
    offline: OfflineDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    import commands._money_flow as pictures

    async def broken(card: object) -> bytes:
        raise RuntimeError("the worker fell over")

    monkeypatch.setattr(pictures, "_drawn", type(pictures._drawn)())  # no picture kept yet
    monkeypatch.setattr(pictures, "render_money_flow_async", broken)
    replies = await offline.command("gift value", {"gift": "lion"}, user=ALICE, guild=GUILD)
    assert field(embed_of(only_reply(replies)), "Coins spent") == "29,999"
    assert not any(r.method == "PATCH" or r.ephemeral for r in replies)

    monkeypatch.setattr(pictures, "MAX_WAITING", 0)  # a burst: pictures are already waiting
    replies = await offline.command("gift value", {"gift": "yacht"}, user=ALICE, guild=GUILD)
    assert field(embed_of(only_reply(replies)), "Coins spent") == "20,000"
    assert not any(r.method == "PATCH" for r in replies)
