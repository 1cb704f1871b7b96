"""The personal card (one member's totals and progress) and the group card."""

from __future__ import annotations

from PIL import Image

from bot.cards.avatars import draw_avatar
from bot.cards.fonts import Fonts
from bot.cards.models import GroupCard, PersonalCard
from bot.cards.paint import THEME, text
from bot.cards.parts import (
    BLANK_NAME,
    HEADER_HEIGHT,
    PAD,
    PROGRESS_HEIGHT,
    STAT_HEIGHT,
    WIDTH,
    canvas,
    footer,
    footer_height,
    header,
    label,
    person_row,
    progress_block,
    rows_height,
    stat_tiles,
    value_column,
)
from bot.cards.text import is_blank

PROFILE_HEIGHT = 150
AVATAR = 88
MAX_PROGRESS = 4
MAX_GROUP_ROWS = 10


def _stats_height(count: int) -> int:
    return STAT_HEIGHT + 14 if count else 0


def draw_personal(card: PersonalCard, fonts: Fonts) -> Image.Image:
    progress = card.progress[:MAX_PROGRESS]
    height = PROFILE_HEIGHT + _stats_height(len(card.stats))
    height += len(progress) * (PROGRESS_HEIGHT + 12) + footer_height(fonts, card.footer)
    image = canvas(height)

    centre = (PAD + AVATAR // 2, 34 + AVATAR // 2)
    draw_avatar(image, fonts, centre, AVATAR, card.avatar_png, card.name)
    left, right = PAD + AVATAR + 24, WIDTH - PAD
    text(image, fonts, card.title, (left, 56, right), 16, THEME.accent_soft, bold=True)
    blank = is_blank(card.name)
    name = BLANK_NAME if blank else card.name
    text(image, fonts, name, (left, 94, right), 32, THEME.faint if blank else THEME.text, bold=True)
    if card.subtitle.strip():
        text(image, fonts, card.subtitle, (left, 122, right), 17, THEME.muted)

    top = PROFILE_HEIGHT
    top += stat_tiles(image, fonts, card.stats, top)
    for item in progress:
        top += progress_block(image, fonts, item, top)
    footer(image, fonts, card.footer)
    return image


def draw_group(card: GroupCard, fonts: Fonts) -> Image.Image:
    rows = card.rows[:MAX_GROUP_ROWS]
    labelled = bool(rows) and bool(card.rows_label.strip())
    height = HEADER_HEIGHT + _stats_height(len(card.stats))
    height += (PROGRESS_HEIGHT + 12) if card.goal is not None else 0
    height += (28 if labelled else 0) + rows_height(len(rows)) + footer_height(fonts, card.footer)
    image = canvas(height)

    top = header(image, fonts, card.title, card.subtitle)
    top += stat_tiles(image, fonts, card.stats, top)
    if card.goal is not None:
        top += progress_block(image, fonts, card.goal, top)
    if labelled:
        top += label(image, fonts, card.rows_label, top - 4)
    value_width = value_column(fonts, rows)
    for row in rows:
        top += person_row(image, fonts, row, top, value_width)
    footer(image, fonts, card.footer)
    return image
