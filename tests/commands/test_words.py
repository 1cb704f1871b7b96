"""Words through the interaction path: CLDR plural forms and dates in English, Indonesian and
Brazilian Portuguese, and the assumptions footer only on answers that show figures."""

from __future__ import annotations

from typing import Any

import pytest

from bot.offline import OfflineDiscord
from tests.support.people import ALICE, GUILD, MANAGER, MEMBERS
from tests.support.replies import NBSP, embed_of, field, only_reply, public_notice

pytestmark = pytest.mark.usefixtures("unlimited")  # more writes than a person may make


async def ask(offline: OfflineDiscord, path: str, options: dict[str, Any], locale: str, **kw: Any):
    replies = await offline.command(path, options, user=ALICE, locale=locale, **kw)
    return embed_of(only_reply(replies))


@pytest.mark.parametrize(
    ("locale", "one", "many"),
    [
        ("en", "1 diamond", "1,000,000 diamonds"),
        ("id", "1 berlian", "1.000.000 berlian"),
        ("pt-BR", "1 diamante", "1.000.000 de diamantes"),
    ],
)
async def test_diamond_counts(offline: OfflineDiscord, locale: str, one: str, many: str) -> None:
    assert (await ask(offline, "diamonds", {"amount": 1}, locale))["title"] == one
    assert (await ask(offline, "diamonds", {"amount": 1_000_000}, locale))["title"] == many


@pytest.mark.parametrize(
    ("locale", "title"),
    [("en", "Buying 1 coin"), ("id", "Membeli 1 koin"), ("pt-BR", "Comprando 1 moeda")],
)
async def test_one_coin(offline: OfflineDiscord, locale: str, title: str) -> None:
    assert (await ask(offline, "coins", {"amount": 1}, locale))["title"] == title


@pytest.mark.parametrize(
    ("locale", "one_day", "days"),
    [
        ("en", "that is 1 day.", "that is 2 days."),
        ("id", "jadi 1 hari.", "jadi 2 hari."),
        ("pt-BR", "ou seja, 1 dia.", "ou seja, 2 dias."),
    ],
)
async def test_days_to_cash_out(
    offline: OfflineDiscord, locale: str, one_day: str, days: str
) -> None:
    def progress(embed: dict[str, Any]) -> str:
        return embed["fields"][-1]["value"]

    assert progress(await ask(offline, "diamonds", {"amount": 20_000}, locale)).endswith(one_day)
    assert progress(await ask(offline, "diamonds", {"amount": 400_000}, locale)).endswith(days)


@pytest.mark.parametrize(
    ("locale", "one", "two"),
    [
        ("en", "(1 entry)", "(2 entries)"),
        ("id", "(1 entri)", "(2 entri)"),
        ("pt-BR", "(1 registro)", "(2 registros)"),
    ],
)
async def test_history_entries(offline: OfflineDiscord, locale: str, one: str, two: str) -> None:
    where = {"guild": GUILD, "members": MEMBERS}
    await offline.command("tally add", {"gift": "rose"}, user=ALICE, **where)
    assert (await ask(offline, "tally history", {}, locale, **where))["title"].endswith(one)
    await offline.command("tally add", {"gift": "rose"}, user=ALICE, **where)
    assert (await ask(offline, "tally history", {}, locale, **where))["title"].endswith(two)


@pytest.mark.parametrize(
    ("locale", "rates", "catalog", "caveat"),
    [
        (
            "en",
            "TikTok's model (as of Nov 25, 2026)",
            "gift catalog as of Oct 5, 2026",
            "Oct 2, 2023",
        ),
        ("id", "model TikTok (per 25 Nov 2026)", "katalog hadiah per 5 Okt 2026", "2 Okt 2023"),
        (
            "pt-BR",
            "modelo do TikTok (de 25 de nov. de 2026)",
            "catálogo de presentes de 5 de out. de 2026",
            "2 de out. de 2023",
        ),
    ],
)
async def test_dates_in_the_users_locale(offline, locale: str, rates, catalog, caveat) -> None:
    embed = await ask(offline, "gift value", {"gift": "universe"}, locale)
    footer = embed["footer"]["text"]
    assert rates in footer and catalog in footer
    assert "2026-" not in footer and "2023-" not in embed["description"]
    assert caveat in embed["description"]  # "priced at this since ..."


@pytest.mark.parametrize(
    ("locale", "exchange"),
    [("id", "kurs: ECB, 6 Okt 2026"), ("pt-BR", "câmbio: ECB, 6 de out. de 2026")],
)
async def test_the_exchange_rate_day_in_the_users_locale(offline, locale: str, exchange) -> None:
    embed = await ask(offline, "gift value", {"gift": "galaxy"}, locale)  # a DM: IDR or BRL beside
    assert exchange in embed["footer"]["text"]


async def test_the_footer_is_only_on_answers_with_figures(offline: OfflineDiscord) -> None:
    created = public_notice(
        await offline.command("group create", {"name": "Crew"}, user=ALICE, guild=GUILD)
    )
    assert created["title"] == "Group created"
    helped = embed_of(only_reply(await offline.command("help", {}, user=ALICE)))
    assert "footer" not in helped
    switched = public_notice(
        await offline.command("settings leaderboard", {"enabled": "off"}, user=MANAGER, guild=GUILD)
    )
    assert "Leaderboard" in switched["description"]
    figures = await ask(offline, "diamonds", {"amount": 5}, "en")
    assert figures["footer"]["text"].endswith("not affiliated with TikTok")


@pytest.mark.parametrize(
    ("locale", "title", "differ", "amounts"),
    [
        (
            "en",
            "TikTok's model (used here)",
            "Why they differ 4×",
            "1,000 coins net $5.00 (TikTok's model) or $1.25 (creator guides' model)",
        ),
        (
            "id",
            "Model TikTok (dipakai di sini)",
            "Mengapa berbeda 4×",
            "1.000 koin menghasilkan bersih US$5,00 (model TikTok) atau US$1,25",
        ),
        (
            "pt-BR",
            "Modelo do TikTok (usado aqui)",
            "Por que diferem 4×",
            "1.000 moedas rendem US$ 5,00 líquidos (modelo do TikTok) ou US$ 1,25",
        ),
    ],
)
async def test_about_explains_both_models(offline, locale: str, title, differ, amounts) -> None:
    about = await ask(offline, "about", {}, locale)
    names = [item["name"] for item in about["fields"]]
    assert title in names and differ in names
    assert amounts in field(about, differ).replace(NBSP, " ")
