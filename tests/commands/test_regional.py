"""Regional coin prices, and money and language following the server or the user's locale."""

from __future__ import annotations

from typing import Any

import pytest

from bot.offline import OfflineDiscord
from economy.rates import default_presets
from tests.support.people import ALICE, GUILD, MANAGER, OTHER_GUILD
from tests.support.replies import NBSP, embed_of, field, only_reply


def embed(replies) -> dict[str, Any]:
    reply = only_reply(replies)
    assert not reply.ephemeral, reply.text()
    return embed_of(reply)


@pytest.mark.parametrize(
    ("name", "region", "currency"),
    [
        ("app", "US", "USD"),
        ("web", "US", "USD"),
        ("app", "ID", "IDR"),
        ("app", "BR", "BRL"),
        ("app", "GB", "GBP"),
    ],
)
def test_regional_stores_are_dated_and_sourced(name: str, region: str, currency: str) -> None:
    for card in default_presets().values():
        store = card.store(name, region)
        assert store.currency == currency
        assert store.source and store.as_of.year >= 2024
        assert store.bundles and all(bundle.price > 0 for bundle in store.bundles)


@pytest.mark.parametrize(
    ("region", "money", "where", "planned"),
    [
        ("US", "$", "app store, United States", True),
        ("ID", "IDR", "app store, Indonesia", True),
        ("BR", "R$", "app store, Brazil", False),
        ("GB", "£", "app store, United Kingdom", False),
    ],
)
async def test_coins_in_each_region(offline: OfflineDiscord, region, money, where, planned) -> None:
    answer = embed(await offline.command("coins", {"amount": 1_400, "region": region}, user=ALICE))
    cost = field(answer, "What they cost")
    assert cost.startswith(f"about {money}") and where in cost
    assert "No " not in cost  # no fallback note: the region has an app store
    cheapest = field(answer, "Cheapest way")
    if planned:
        assert cheapest.startswith(money) and "purchase" in cheapest
    else:  # two known packs or fewer: the bot says so rather than invent a plan
        assert cheapest.startswith("Too few known packs in the app store") and where in cheapest


async def test_indonesian_prices_are_the_documented_bundles(offline: OfflineDiscord) -> None:
    answer = embed(
        await offline.command("coins", {"amount": 1_400, "region": "ID"}, user=ALICE, locale="id")
    )
    assert field(answer, "Cara termurah").startswith("Rp340.000 (≈ US$19,06) · 1 × 1.400")


async def test_a_missing_store_falls_back_to_us_and_says_so(offline: OfflineDiscord) -> None:
    answer = embed(
        await offline.command(
            "gift value", {"gift": "rose", "store": "web", "region": "ID"}, user=ALICE
        )
    )
    paid = field(answer, "What the viewer paid")
    assert "web store, United States" in paid
    assert "No web store prices for Indonesia yet, so United States prices are shown." in paid


@pytest.mark.usefixtures("unlimited")
async def test_default_region_follows_the_server_currency(offline: OfflineDiscord) -> None:
    await offline.command("settings currency", {"code": "BRL"}, user=MANAGER, guild=GUILD)
    here = embed(await offline.command("coins", {"amount": 300}, user=ALICE, guild=GUILD))
    assert "app store, Brazil" in field(here, "What they cost")
    assert field(here, "What they cost").startswith("about R$18.90 (≈ $3.80)")  # 300 x 1.89/30
    asked = embed(
        await offline.command("coins", {"amount": 300, "region": "US"}, user=ALICE, guild=GUILD)
    )
    assert "app store, United States" in field(asked, "What they cost")
    there = embed(await offline.command("coins", {"amount": 300}, user=ALICE, guild=OTHER_GUILD))
    assert "app store, United States" in field(there, "What they cost")


async def test_gift_value_in_a_dm_in_indonesian(offline: OfflineDiscord) -> None:
    answer = embed(
        await offline.command("gift value", {"gift": "galaxy", "count": 2}, user=ALICE, locale="id")
    )
    assert field(answer, "Koin yang dipakai") == "2.000"
    assert field(answer, "Berlian untuk kreator") == "2.000"
    assert field(answer, "Pendapatan kotor kreator") == "US$10,00 (≈ Rp178.408)"
    assert field(answer, "Pendapatan bersih kreator") == "US$10,00 (≈ Rp178.408)"
    paid = field(answer, "Yang dibayar penonton")
    assert paid.startswith("sekitar Rp485.714 (≈ US$27,22)") and "toko aplikasi, Indonesia" in paid
    assert "Perkiraan" in answer["footer"]["text"]


async def test_gift_value_in_a_dm_in_brazilian_portuguese(offline: OfflineDiscord) -> None:
    answer = embed(
        await offline.command(
            "gift value", {"gift": "galaxy", "count": 2}, user=ALICE, locale="pt-BR"
        )
    )
    assert field(answer, "Moedas gastas") == "2.000"
    assert field(answer, "Diamantes para o criador") == "2.000"
    assert field(answer, "Bruto do criador") == f"US${NBSP}10,00 (≈ R${NBSP}49,69)"
    paid = field(answer, "Quanto o espectador pagou")
    assert paid.startswith(f"cerca de R${NBSP}126,00") and "loja do app, Brasil" in paid
    assert field(answer, "Comprando as moedas").startswith("Poucos pacotes conhecidos")


async def test_unsupported_locale_gets_english_and_usd(offline: OfflineDiscord) -> None:
    answer = embed(
        await offline.command("gift value", {"gift": "galaxy", "count": 2}, user=ALICE, locale="fr")
    )
    assert answer["title"] == "Galaxy × 2"
    assert field(answer, "Coins spent") == "2,000"
    assert field(answer, "Creator's gross") == "$10.00"
    assert "app store, United States" in field(answer, "What the viewer paid")


async def test_region_option_beats_the_locale_in_a_dm(offline: OfflineDiscord) -> None:
    answer = embed(
        await offline.command("coins", {"amount": 65, "region": "US"}, user=ALICE, locale="id")
    )
    assert field(answer, "Cara termurah").startswith("US$0,99 · 1 × 65 · 1 pembelian")
    assert "toko aplikasi, Amerika Serikat" in field(answer, "Harganya")
