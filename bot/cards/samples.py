"""Sample cards (realistic and hostile) and a helper that writes them out as PNG files.

`python -m bot.cards.samples FOLDER` writes every example card to FOLDER; the card tests and
the cards benchmark use the same samples.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from bot.cards import (
    CardRow,
    FlowSegment,
    FlowStage,
    Fonts,
    GroupCard,
    LeaderboardCard,
    MoneyFlowCard,
    PersonalCard,
    Progress,
    Stat,
    render_group,
    render_leaderboard,
    render_money_flow,
    render_personal,
)

# Names people really use, and names meant to break things.
HOSTILE_NAMES: dict[str, str] = {
    "indonesian": "Dewi Sartika Ayuningtyas",
    "portuguese": "João Conceição Ávila",
    "emoji": "Rina 🌸✨ LIVE 🔥",
    "cjk": "山田太郎 ゆい 김민지",
    "arabic": "محمد العلي",
    "mixed direction": "Ana محمد 2024",
    "zero-width joiners": "👨‍👩‍👧‍👦 Family 🏳️‍🌈",
    "flags and skin tones": "🇧🇷🇮🇩 fãs 👍🏽",
    "long": ("Maximiliano Alexandre de Bragança e Orleans-Saxe-Coburgo " * 2)[:100],
    "long without spaces": "W" * 100,
    "blank": "   ",
    "invisible": "\u200b\u200d\u3164\u2800\u200b",
    "markdown": "**bold** __under__ `code` ||spoiler|| # [link](https://x.y)",
    "zalgo": "Z̸̡̛̖͇̗͉̫̝a̵̢̱̞̮͕̓l̶̪̈́̈́̕g̷̰̈̆o̴̤͝",
    "controls": "line\nbreak\ttab\x00nul\x7f",
    "bidi override": "\u202eexe.live",
    "no font has these": "\ue000\U000f0000\U0010fffd x",
    "lone surrogate": "bad\ud800name",
}

REAL_NAMES = (
    "Dewi Sartika",
    "João Pedro 🇧🇷",
    "Rina 🌸",
    "Budi Santoso",
    "Ana Beatriz",
    "Putri Ayu",
    "Lucas Almeida",
    "Siti Nurhaliza",
    "Gabriel Souza",
    "Andi Wijaya",
)


def avatar_png(seed: int, size: int = 128) -> bytes:
    """A made-up avatar: a two-colour gradient with a head-and-shoulders silhouette."""
    palette = [(254, 44, 85), (37, 244, 238), (150, 110, 250), (245, 192, 78), (60, 180, 130)]
    top, bottom = palette[seed % len(palette)], palette[(seed * 3 + 1) % len(palette)]
    ramp = Image.linear_gradient("L").resize((size, size))
    image = Image.composite(
        Image.new("RGB", (size, size), bottom), Image.new("RGB", (size, size), top), ramp
    )
    draw = ImageDraw.Draw(image)
    shade = (255, 255, 255)
    draw.ellipse((size * 0.34, size * 0.2, size * 0.66, size * 0.52), fill=shade)
    draw.ellipse((size * 0.18, size * 0.58, size * 0.82, size * 1.2), fill=shade)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def leaderboard(
    rows: int, *, avatars: bool = True, names: tuple[str, ...] = REAL_NAMES
) -> LeaderboardCard:
    """Top receivers this week with `rows` members, values falling from the top."""
    members = []
    for i in range(rows):
        diamonds = 48_250 * 0.82**i
        members.append(
            CardRow(
                rank=i + 1,
                name=names[i % len(names)],
                value_text=f"{round(diamonds):,} 💎",
                fraction=0.82**i,
                avatar_png=avatar_png(i) if avatars and i % 4 != 3 else None,
                detail_text=f"{max(1, 40 - 3 * i)} gifts",
                highlight=i == 4,
            )
        )
    return LeaderboardCard(
        title="Top receivers · This week",
        subtitle="Creator Squad ID · 1,204 gifts recorded",
        rows=tuple(members),
        footer="Estimate · rates: seed (as of 2026-11-22) · gift catalog as of 2025-08-02"
        " · not affiliated with TikTok",
        pinned=CardRow(31, "You (Budi)", "1,120 💎", 0.023, avatar_png(7), "3 gifts", True)
        if rows >= 10
        else None,
        pinned_label="Your rank",
        empty_text="Nobody on this board yet. Record gifts with /tally add.",
    )


def hostile_leaderboard() -> LeaderboardCard:
    """Every hostile name on one board (a corrupt avatar and a silly fraction too)."""
    rows = tuple(
        CardRow(
            rank=i + 1,
            name=name,
            value_text=f"{1000 - i * 37:,} 💎",
            fraction=[1.0, 0.8, float("nan"), -3.0, 7.0][i % 5],
            avatar_png=b"\x89PNG\r\n\x1a\nnot really" if i % 3 == 0 else None,
            detail_text=name if i % 4 == 0 else "",
        )
        for i, name in enumerate(HOSTILE_NAMES.values())
    )
    return LeaderboardCard(
        title="Top receivers · " + HOSTILE_NAMES["zero-width joiners"],
        subtitle=HOSTILE_NAMES["markdown"],
        rows=rows,
        footer=HOSTILE_NAMES["long"] * 3,
    )


def personal(name: str = "Dewi Sartika 🌸", avatar: bytes | None = None) -> PersonalCard:
    return PersonalCard(
        title="Tally · Creator Squad ID",
        name=name,
        subtitle="Rank #3 this week · 128 gifts all time",
        stats=(
            Stat("This week", "12.340 💎", "≈ Rp 962.500"),
            Stat("This month", "48.915 💎", "≈ Rp 3.815.300"),
            Stat("All time", "310.222 💎", "≈ Rp 24.197.300"),
        ),
        progress=(
            Progress(
                "To the minimum withdrawal", "Rp 962.500 / Rp 1.560.000", 0.617, "7.660 💎 to go"
            ),
            Progress("Goal: new ring light", "Rp 3.815.300 / Rp 2.500.000", 1.0, "Reached!"),
        ),
        footer="Estimate · rates: seed (as of 2026-11-22) · not affiliated with TikTok",
        avatar_png=avatar_png(2) if avatar is None else avatar,
    )


def group(rows: int = 5) -> GroupCard:
    board = leaderboard(rows)
    return GroupCard(
        title="Agência Estrela ⭐",
        subtitle="Payout split by diamonds received · this month",
        stats=(
            Stat("Members", "12"),
            Stat("Diamonds", "1.284.500 💎"),
            Stat("Net payout", "R$ 33.412,80", "after 50% cut"),
        ),
        goal=Progress("Monthly goal", "1.284.500 / 2.000.000 💎", 0.642, "715.500 💎 to go"),
        rows=board.rows,
        footer="Estimate · rates: seed (as of 2026-11-22) · not affiliated with TikTok",
        rows_label="Top members",
    )


def money_flow() -> MoneyFlowCard:
    return MoneyFlowCard(
        title="Where the viewer's money goes",
        subtitle="Galaxy × 2 · app store, United States",
        total_label="What the viewer paid",
        total_text="$30.69",
        stages=(
            FlowStage("Store price", "$30.69"),
            FlowStage("Coins", "2,000"),
            FlowStage("Diamonds", "1,000 💎"),
            FlowStage("Creator's gross", "$5.00"),
            FlowStage("Cash-out", "$2.50"),
        ),
        segments=(
            FlowSegment("App store and TikTok keep", "$25.69", 0.837, "83.7%"),
            FlowSegment("Platform cut on cash-out", "$2.50", 0.0815, "8.1%"),
            FlowSegment("The creator takes home", "$2.50", 0.0815, "8.1%"),
        ),
        footer="Estimate · rates: seed (as of 2026-11-22) · not affiliated with TikTok",
    )


def write_examples(folder: Path, fonts: Fonts | None = None) -> list[Path]:
    """Render every sample card into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    cards: dict[str, Callable[[], bytes]] = {
        "leaderboard-1.png": lambda: render_leaderboard(leaderboard(1), fonts),
        "leaderboard-10.png": lambda: render_leaderboard(leaderboard(10), fonts),
        "leaderboard-25.png": lambda: render_leaderboard(leaderboard(25), fonts),
        "leaderboard-empty.png": lambda: render_leaderboard(leaderboard(0), fonts),
        "leaderboard-hostile.png": lambda: render_leaderboard(hostile_leaderboard(), fonts),
        "personal.png": lambda: render_personal(personal(), fonts),
        "group.png": lambda: render_group(group(), fonts),
        "money-flow.png": lambda: render_money_flow(money_flow(), fonts),
    }
    written: list[Path] = []
    for name, render in cards.items():
        path = folder / name
        path.write_bytes(render())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_examples(Path(sys.argv[1] if len(sys.argv) > 1 else "cards")):
        print(path)
