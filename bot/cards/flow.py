"""The money-flow card: where the viewer's money goes, as one proportional bar.

The path runs left to right as chips (store price -> coins -> diamonds -> cash-out); the bar
splits the price into its parts, the last part (what the creator takes home) in the house
colour, the others in quiet colours, each explained in the legend under the bar.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from bot.cards.fonts import Fonts
from bot.cards.models import FlowSegment, FlowStage, MoneyFlowCard
from bot.cards.paint import (
    SEGMENT_COLOURS,
    THEME,
    Colour,
    clamp,
    label_and_value,
    rounded,
    rounded_mask,
    text,
)
from bot.cards.parts import HEADER_HEIGHT, PAD, WIDTH, canvas, footer, footer_height, header
from bot.cards.text import fit

MAX_STAGES = 5
MAX_SEGMENTS = 6
TOTAL_HEIGHT = 78
STAGE_HEIGHT = 74
BAR_HEIGHT = 46
LEGEND_ROW = 38


def segment_colours(count: int) -> list[Colour]:
    """Quiet colours in order, the last segment in the house colour."""
    colours = [SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)] for i in range(max(0, count - 1))]
    return [*colours, THEME.accent] if count else []


def segment_edges(segments: tuple[FlowSegment, ...], width: int) -> list[tuple[int, int]]:
    """Pixel spans of each segment: proportional, scaled down if the fractions pass 1."""
    fractions = [clamp(s.fraction) for s in segments]
    total = sum(fractions)
    scale = 1 / total if total > 1 else 1.0
    edges: list[tuple[int, int]] = []
    running = 0.0
    for fraction in fractions:
        start = round(running * scale * width)
        running += fraction
        edges.append((start, round(running * scale * width)))
    return edges


def draw_money_flow(card: MoneyFlowCard, fonts: Fonts) -> Image.Image:
    stages = card.stages[:MAX_STAGES]
    segments = card.segments[:MAX_SEGMENTS]
    height = HEADER_HEIGHT + TOTAL_HEIGHT + (STAGE_HEIGHT + 24 if stages else 0)
    height += BAR_HEIGHT + 18 + len(segments) * LEGEND_ROW + 8 + footer_height(fonts, card.footer)
    image = canvas(height)

    top = header(image, fonts, card.title, card.subtitle)
    text(image, fonts, card.total_label, (PAD, top + 16, WIDTH - PAD), 15, THEME.muted, bold=True)
    text(image, fonts, card.total_text, (PAD, top + 58, WIDTH - PAD), 36, THEME.text, bold=True)
    top += TOTAL_HEIGHT
    if stages:
        _stages(image, fonts, stages, top)
        top += STAGE_HEIGHT + 24
    _bar(image, fonts, segments, top)
    top += BAR_HEIGHT + 18
    colours = segment_colours(len(segments))
    for segment, colour in zip(segments, colours, strict=True):
        _legend_row(image, fonts, segment, colour, top)
        top += LEGEND_ROW
    footer(image, fonts, card.footer)
    return image


def _stages(image: Image.Image, fonts: Fonts, stages: tuple[FlowStage, ...], top: int) -> None:
    arrow = 24
    count = len(stages)
    width = (WIDTH - 2 * PAD - arrow * (count - 1)) // count
    draw = ImageDraw.Draw(image)
    for i, stage in enumerate(stages):
        left = PAD + i * (width + arrow)
        right = left + width
        last = i == count - 1
        panel = THEME.panel_highlight if last else THEME.panel
        rounded(image, (left, top, right, top + STAGE_HEIGHT), 14, panel)
        inner = (left + 14, right - 10)
        label_box = (inner[0], top + 27, inner[1])
        text(image, fonts, stage.label, label_box, 14, THEME.muted, bold=True, min_size=11)
        colour = THEME.accent_soft if last else THEME.text
        value_box = (inner[0], top + 58, inner[1])
        text(image, fonts, stage.value_text, value_box, 22, colour, bold=True, min_size=16)
        if not last:
            x, y = right + arrow // 2, top + STAGE_HEIGHT // 2
            draw.polygon([(x - 5, y - 8), (x + 6, y), (x - 5, y + 8)], fill=THEME.faint)


def _bar(image: Image.Image, fonts: Fonts, segments: tuple[FlowSegment, ...], top: int) -> None:
    width = WIDTH - 2 * PAD
    strip = Image.new("RGB", (width, BAR_HEIGHT), THEME.track)
    for (start, end), segment, colour in zip(
        segment_edges(segments, width), segments, segment_colours(len(segments)), strict=True
    ):
        if end <= start:
            continue
        strip.paste(colour, (start, 0, end, BAR_HEIGHT))
        if end < width:
            strip.paste(THEME.background, (end - 1, 0, end, BAR_HEIGHT))  # a hairline between
        if segment.share_text.strip():
            line = fit(segment.share_text, fonts.bold, 16, 10_000)
            if line.width + 16 <= end - start:
                centre = start + (end - start - line.width) / 2
                line.draw(strip, centre, BAR_HEIGHT / 2 + 6, THEME.text)
    image.paste(strip, (PAD, top), rounded_mask(width, BAR_HEIGHT, 12))


def _legend_row(
    image: Image.Image, fonts: Fonts, segment: FlowSegment, colour: Colour, top: int
) -> None:
    left, right = PAD, WIDTH - PAD
    rounded(image, (left + 2, top + 8, left + 20, top + 26), 5, colour)
    box = (left + 32, top + 24, right)
    label_and_value(
        image, fonts, segment.label, segment.value_text, box, note=segment.share_text, bold=False
    )
