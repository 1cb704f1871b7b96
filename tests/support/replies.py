"""Reading captured replies the way a person reads them in Discord."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from bot.offline import CapturedRequest

CHANNEL_MESSAGE = 4
DEFERRED = 5  # "thinking": the answer follows as a follow-up message
UPDATE_MESSAGE = 7
DISCORD_DEADLINE_S = 3.0  # Discord fails an interaction not answered within this
FOOTER = "not affiliated with TikTok"
VIEW_ID = re.compile(r":[0-9a-f]{16}$")
NBSP = "\xa0"  # between a currency and its amount in some locales ("R$\xa010,00")
AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)")


def only_reply(replies: list[CapturedRequest]) -> CapturedRequest:
    """The interaction was answered exactly once, with a message."""
    callbacks = [r for r in replies if r.callback_type is not None]
    assert len(callbacks) == 1, f"expected one response, got {[r.path for r in replies]}"
    return callbacks[0]


def embed_of(reply: CapturedRequest) -> dict[str, Any]:
    assert reply.embeds, f"no embed in reply: {reply.content!r}"
    return reply.embeds[0]


def field(embed: dict[str, Any], name_start: str) -> str:
    """The value of the first field whose name starts with `name_start`."""
    for item in embed.get("fields", []):
        if item["name"].startswith(name_start):
            return item["value"]
    names = [item["name"] for item in embed.get("fields", [])]
    raise AssertionError(f"no field starting {name_start!r} in {names}")


def money(text: str) -> Decimal:
    """The first amount in a text as shown in English: `$0.015` -> 0.015, `IDR89,204` ->
    89204."""
    found = AMOUNT.search(text.replace(NBSP, " "))
    assert found, text
    return Decimal(found.group(1).replace(",", ""))


def beside(text: str) -> Decimal:
    """The converted amount shown beside another: `$5.00 (≈ IDR89,204)` -> 89204."""
    return money(text.split("≈", 1)[1])


def refusal(replies: list[CapturedRequest]) -> str:
    """The single ephemeral message the user got instead of an answer."""
    reply = only_reply(replies)
    assert reply.ephemeral, f"expected an ephemeral refusal, got {reply.text()!r}"
    return reply.content


def buttons(reply: CapturedRequest) -> dict[str, dict[str, Any]]:
    """The reply's buttons by custom_id, without the view id views append."""
    return {
        VIEW_ID.sub("", item["custom_id"]): item
        for row in reply.components
        for item in row.get("components", [])
        if item.get("type") == 2
    }


def public_embed(replies: list[CapturedRequest]) -> dict[str, Any]:
    """A public answer showing figures, in the house style: one embed, footer with the
    assumptions, no pings."""
    embed = _public(replies)
    assert FOOTER in embed["footer"]["text"]
    return embed


def public_notice(replies: list[CapturedRequest]) -> dict[str, Any]:
    """A public answer without figures ("Group created"): one embed, no assumptions footer,
    no pings."""
    embed = _public(replies)
    assert "footer" not in embed, embed["footer"]
    return embed


def _public(replies: list[CapturedRequest]) -> dict[str, Any]:
    reply = only_reply(replies)
    assert reply.callback_type == CHANNEL_MESSAGE and not reply.ephemeral, reply.text()
    assert reply.allowed_mentions == {"parse": []}
    return embed_of(reply)
