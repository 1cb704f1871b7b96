"""Pieces every card is built from: header, person row, stat tiles, progress bar, footer.

Each piece draws at a given top and returns the height it used, so a card is a column of
pieces whose total height is known before drawing (`*_height` functions).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from PIL import Image

from bot.cards.avatars import draw_avatar
from bot.cards.fonts import Fonts
from bot.cards.models import CardRow, Progress, Stat
from bot.cards.paint import THEME, Colour, bar, circle, gradient, label_and_value, rounded, text
from bot.cards.text import fit, is_blank, wrap

WIDTH = 900
PAD = 32
STRIPE = 6
HEADER_HEIGHT = 118
ROW_HEIGHT = 58
ROW_GAP = 6
FOOTER_SIZE = 14
FOOTER_LINE = 20
BLANK_NAME = "—"  # shown for a name that would draw nothing

MEDALS: dict[int, Colour] = {1: THEME.gold, 2: THEME.silver, 3: THEME.bronze}


def canvas(height: int) -> Image.Image:
    """An opaque card with the house stripe along the top."""
    image = Image.new("RGB", (WIDTH, height), THEME.background)
    image.paste(gradient(WIDTH, STRIPE, THEME.cyan, THEME.accent), (0, 0))
    return image


def header(image: Image.Image, fonts: Fonts, title: str, subtitle: str) -> int:
    """Title and subtitle; returns the height used."""
    right = WIDTH - PAD
    text(image, fonts, title, (PAD, 60, right), 30, THEME.text, bold=True)
    if subtitle.strip():
        text(image, fonts, subtitle, (PAD, 92, right), 18, THEME.muted)
    return HEADER_HEIGHT


def footer_height(fonts: Fonts, footer: str) -> int:
    lines = wrap(footer, fonts.regular, FOOTER_SIZE, WIDTH - 2 * PAD, 3)
    return 20 + FOOTER_LINE * len(lines) + 20


def footer(image: Image.Image, fonts: Fonts, footer_text: str) -> None:
    """Muted small print at the bottom (wrapped over up to 3 lines)."""
    lines = wrap(footer_text, fonts.regular, FOOTER_SIZE, WIDTH - 2 * PAD, 3)
    baseline = image.height - 20 - FOOTER_LINE * len(lines) + FOOTER_SIZE
    for line in lines:
        line.draw(image, PAD, baseline, THEME.muted, THEME.faint)
        baseline += FOOTER_LINE


def label(image: Image.Image, fonts: Fonts, value: str, top: int) -> int:
    """A small muted heading over the piece that follows; returns the height used."""
    text(image, fonts, value, (PAD + 4, top + 18, WIDTH - PAD), 15, THEME.muted, bold=True)
    return 28


def value_column(fonts: Fonts, rows: Sequence[CardRow]) -> int:
    """Width for the right-hand values: the widest value or detail, within limits."""
    widest = 0.0
    for row in rows:
        widest = max(widest, fit(row.value_text, fonts.bold, 20, 300).width)
        widest = max(widest, fit(row.detail_text, fonts.regular, 14, 300).width)
    return math.ceil(min(300, max(90, widest)))


def rank_badge(
    image: Image.Image, fonts: Fonts, rank: int, rank_text: str, centre: tuple[int, int]
) -> None:
    """A medal for 1-3, a muted number after (`rank_text` when given, else the digits)."""
    cx, cy = centre
    medal = MEDALS.get(rank)
    if medal is not None:
        circle(image, centre, 17, medal)
    colour, half = (THEME.medal_text, 17) if medal else (THEME.muted, 22)
    label_text = rank_text.strip() or (str(rank) if rank > 0 else "–")
    box = (cx - half, cy + 6, cx + half)
    text(image, fonts, label_text, box, 17, colour, bold=True, align="centre", min_size=10)


def person_row(image: Image.Image, fonts: Fonts, row: CardRow, top: int, value_width: int) -> int:
    """Rank, avatar, name over a bar proportional to the top value, value on the right."""
    left, right = PAD, WIDTH - PAD
    column_left = left + 124
    values_left = right - 20 - value_width
    column_right = values_left - 24
    image.paste(_row_tile(row.highlight, column_left - left, column_right - left), (left, top))
    middle = top + ROW_HEIGHT // 2
    rank_badge(image, fonts, row.rank, row.rank_text, (left + 36, middle))
    draw_avatar(image, fonts, (left + 90, middle), 40, row.avatar_png, row.name)

    name = BLANK_NAME if is_blank(row.name) else row.name
    colour = THEME.faint if is_blank(row.name) else THEME.text
    text(image, fonts, name, (column_left, top + 26, column_right), 19, colour, bold=True)
    fill = THEME.accent if 1 <= row.rank <= 3 or row.highlight else THEME.accent_soft
    bar(
        image,
        (column_left, top + BAR_TOP, column_right, top + BAR_TOP + 8),
        row.fraction,
        fill,
        None,
    )

    detail = row.detail_text.strip()
    value_box = (values_left, top + 27 if detail else middle + 7, right - 20)
    text(image, fonts, row.value_text, value_box, 20, THEME.text, bold=True, align="right")
    if detail:
        detail_box = (values_left, top + 46, right - 20)
        text(image, fonts, row.detail_text, detail_box, 14, THEME.muted, align="right")
    return ROW_HEIGHT + ROW_GAP


BAR_TOP = 36


@lru_cache(maxsize=16)
def _row_tile(highlight: bool, bar_left: int, bar_right: int) -> Image.Image:
    """A row's panel and empty bar track, on the card background (pasted without a mask)."""
    tile = Image.new("RGB", (WIDTH - 2 * PAD, ROW_HEIGHT), THEME.background)
    fill = THEME.panel_highlight if highlight else THEME.panel
    rounded(tile, (0, 0, tile.width, ROW_HEIGHT), 14, fill)
    bar(tile, (bar_left, BAR_TOP, bar_right, BAR_TOP + 8), 0.0, fill, THEME.track)
    return tile


def rows_height(count: int) -> int:
    return count * (ROW_HEIGHT + ROW_GAP)


STAT_HEIGHT = 96


def stat_tiles(image: Image.Image, fonts: Fonts, stats: Sequence[Stat], top: int) -> int:
    """Up to 4 tiles side by side: label, big value, note."""
    stats = list(stats)[:4]
    if not stats:
        return 0
    gap = 12
    width = (WIDTH - 2 * PAD - gap * (len(stats) - 1)) // len(stats)
    for i, stat in enumerate(stats):
        left = PAD + i * (width + gap)
        right = left + width
        rounded(image, (left, top, right, top + STAT_HEIGHT), 14, THEME.panel)
        inner = (left + 18, right - 18)
        label_box = (inner[0], top + 28, inner[1])
        text(image, fonts, stat.label, label_box, 14, THEME.muted, bold=True, min_size=11)
        value_box = (inner[0], top + 62, inner[1])
        text(image, fonts, stat.value_text, value_box, 26, THEME.text, bold=True, min_size=18)
        if stat.note.strip():
            text(image, fonts, stat.note, (inner[0], top + 84, inner[1]), 13, THEME.muted)
    return STAT_HEIGHT + 14


PROGRESS_HEIGHT = 84


def progress_block(image: Image.Image, fonts: Fonts, item: Progress, top: int) -> int:
    """Label and value over a thick bar; a note under it; a check when reached."""
    left, right = PAD, WIDTH - PAD
    rounded(image, (left, top, right, top + PROGRESS_HEIGHT), 14, THEME.panel)
    inner_left, inner_right = left + 20, right - 20
    label_and_value(image, fonts, item.label, item.value_text, (inner_left, top + 30, inner_right))
    done = item.fraction >= 1.0
    bar(
        image,
        (inner_left, top + 42, inner_right, top + 54),
        item.fraction,
        THEME.cyan if done else THEME.accent,
        THEME.track,
    )
    if item.note.strip():
        text(image, fonts, item.note, (inner_left, top + 74, inner_right), 14, THEME.muted)
    return PROGRESS_HEIGHT + 12
