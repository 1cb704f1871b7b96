"""The leaderboard card: a header, one row per member, the reader's own row, a footer."""

from __future__ import annotations

from PIL import Image

from bot.cards.fonts import Fonts
from bot.cards.models import LeaderboardCard
from bot.cards.paint import THEME, rounded, text
from bot.cards.parts import (
    HEADER_HEIGHT,
    PAD,
    ROW_HEIGHT,
    WIDTH,
    canvas,
    footer,
    footer_height,
    header,
    label,
    person_row,
    rows_height,
    value_column,
)

MAX_ROWS = 25
EMPTY_HEIGHT = 90
PINNED_GAP = 10
LABEL_HEIGHT = 28


def draw_leaderboard(card: LeaderboardCard, fonts: Fonts) -> Image.Image:
    rows = card.rows[:MAX_ROWS]
    everyone = [*rows, *([card.pinned] if card.pinned else [])]
    value_width = value_column(fonts, everyone)
    height = HEADER_HEIGHT + (rows_height(len(rows)) if rows else EMPTY_HEIGHT + 8)
    if card.pinned is not None:
        height += PINNED_GAP + (LABEL_HEIGHT if card.pinned_label.strip() else 0) + ROW_HEIGHT
    height += footer_height(fonts, card.footer)

    image = canvas(height)
    top = header(image, fonts, card.title, card.subtitle)
    if not rows:
        rounded(image, (PAD, top, WIDTH - PAD, top + EMPTY_HEIGHT), 14, THEME.panel)
        box = (PAD + 24, top + EMPTY_HEIGHT // 2 + 6, WIDTH - PAD - 24)
        text(image, fonts, card.empty_text, box, 18, THEME.muted, align="centre")
        top += EMPTY_HEIGHT + 8
    for row in rows:
        top += person_row(image, fonts, row, top, value_width)
    if card.pinned is not None:
        top += PINNED_GAP
        if card.pinned_label.strip():
            top += label(image, fonts, card.pinned_label, top - 6)
        person_row(image, fonts, card.pinned, top, value_width)
    footer(image, fonts, card.footer)
    return image
