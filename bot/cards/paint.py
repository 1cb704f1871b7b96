"""The cards' palette and drawing helpers: smooth shapes, text in a box, PNG bytes.

Pillow draws shapes without anti-aliasing, so rounded shapes are drawn as masks at 4x and
scaled down once (masks are cached by size: a leaderboard reuses a handful).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from bot.cards.fonts import Fonts
from bot.cards.text import fit, layout

Colour = tuple[int, int, int]
SUPERSAMPLE = 4


@dataclass(frozen=True)
class Theme:
    """Opaque dark card: reads the same on Discord's dark and light themes."""

    background: Colour = (20, 20, 28)
    panel: Colour = (30, 30, 40)
    panel_highlight: Colour = (52, 26, 38)
    track: Colour = (46, 46, 60)
    text: Colour = (244, 244, 248)
    muted: Colour = (160, 160, 178)
    faint: Colour = (98, 98, 118)
    accent: Colour = (254, 44, 85)  # the house colour, #FE2C55
    accent_soft: Colour = (255, 122, 148)
    cyan: Colour = (37, 244, 238)
    gold: Colour = (245, 192, 78)
    silver: Colour = (201, 209, 220)
    bronze: Colour = (214, 140, 88)
    medal_text: Colour = (28, 24, 20)


THEME = Theme()
# Bright colours that read on the card: initial-letter avatars, money-flow segments.
PALETTE: tuple[Colour, ...] = (
    (37, 190, 235),
    (150, 110, 250),
    (240, 150, 60),
    (60, 180, 130),
    (220, 90, 170),
    (90, 130, 240),
    (200, 160, 50),
    (254, 44, 85),
)
# Money-flow segments in order (a quiet grey first); the last one is always the accent.
SEGMENT_COLOURS: tuple[Colour, ...] = (THEME.faint, *PALETTE[:5])


def clamp(fraction: float) -> float:
    """A fraction for drawing: NaN and negatives are 0, above 1 is 1."""
    if fraction != fraction:  # NaN
        return 0.0
    return min(1.0, max(0.0, float(fraction)))


@lru_cache(maxsize=256)
def rounded_mask(width: int, height: int, radius: int) -> Image.Image:
    """An anti-aliased rounded-rectangle mask (radius >= height/2: a capsule)."""
    big = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
    radius = min(radius, width // 2, height // 2)
    ImageDraw.Draw(big).rounded_rectangle(
        (0, 0, big.width - 1, big.height - 1), radius * SUPERSAMPLE, fill=255
    )
    return big.resize((width, height), Image.Resampling.LANCZOS)


def rounded(image: Image.Image, box: tuple[int, int, int, int], radius: int, fill: Colour) -> None:
    """Fill a rounded rectangle (left, top, right, bottom), edges smoothed."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    if width <= 0 or height <= 0:
        return
    image.paste(fill, (left, top, right, bottom), rounded_mask(width, height, radius))


def circle(image: Image.Image, centre: tuple[int, int], radius: int, fill: Colour) -> None:
    cx, cy = centre
    rounded(image, (cx - radius, cy - radius, cx + radius, cy + radius), radius, fill)


def bar(
    image: Image.Image,
    box: tuple[int, int, int, int],
    fraction: float,
    fill: Colour,
    track: Colour | None,
) -> None:
    """A capsule bar `fraction` of the box wide (a sliver stays visible above 0)."""
    left, top, right, bottom = box
    height = bottom - top
    if track is not None:
        rounded(image, box, height, track)
    fraction = clamp(fraction)
    if fraction <= 0:
        return
    width = max(height, round((right - left) * fraction))
    rounded(image, (left, top, left + width, bottom), height, fill)


@lru_cache(maxsize=16)
def gradient(width: int, height: int, start: Colour, end: Colour) -> Image.Image:
    """A left-to-right gradient strip from `start` to `end`."""
    ramp = Image.new("L", (width, 1))
    ramp.putdata([round(255 * i / max(1, width - 1)) for i in range(width)])
    ramp = ramp.resize((width, height))
    solid_start = Image.new("RGB", (width, height), start)
    return Image.composite(Image.new("RGB", (width, height), end), solid_start, ramp)


def text(
    image: Image.Image,
    fonts: Fonts,
    value: str,
    box: tuple[float, float, float],
    size: int,
    colour: Colour,
    *,
    bold: bool = False,
    align: str = "left",
    dim: Colour | None = None,
    min_size: int | None = None,
) -> float:
    """Draw `value` on baseline `box[1]` within x in [box[0], box[2]], ellipsised to fit.

    `align` is "left", "right" or "centre". With `min_size`, text too wide is first drawn
    smaller (down to that size), then ellipsised. Returns the drawn width.
    """
    left, baseline, right = box
    room = max(0.0, right - left)
    chain = fonts.chain(bold)
    while min_size is not None and size > min_size and layout(value, chain, size).width > room:
        size -= 1
    line = fit(value, chain, size, room)
    if align == "right":
        x = right - line.width
    elif align == "centre":
        x = left + (right - left - line.width) / 2
    else:
        x = left
    line.draw(image, x, baseline, colour, dim or THEME.faint)
    return line.width


def label_and_value(
    image: Image.Image,
    fonts: Fonts,
    label: str,
    value: str,
    box: tuple[int, int, int],
    size: int = 17,
    *,
    note: str = "",
    bold: bool = True,
) -> None:
    """One line: `label` (bold or not) on the left, `value` in bold on the right, then a
    muted `note`.

    The value keeps its full width (up to half the line); the label is ellipsised.
    """
    left, baseline, right = box
    note_width = 70 if note.strip() else 0
    value_right = right - note_width
    value_width = math.ceil(min((right - left) / 2, fit(value, fonts.bold, size, 10_000).width))
    value_box = (value_right - value_width, baseline, value_right)
    text(image, fonts, value, value_box, size, THEME.text, bold=True, align="right")
    if note_width:
        note_box = (value_right + 8, baseline, right)
        text(image, fonts, note, note_box, size - 2, THEME.muted, align="right")
    label_box = (left, baseline, value_right - value_width - 16)
    text(image, fonts, label, label_box, size, THEME.text, bold=bold)


def encode_png(image: Image.Image) -> bytes:
    """PNG bytes in 256 colours: a flat card loses nothing visible, and the file (and the
    time to compress it) shrinks about threefold. The palette is chosen on a half-size copy
    (a third less work; the colours are the same) and every pixel mapped to it."""
    palette = image.reduce(2).quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    indexed = image.quantize(palette=palette, dither=Image.Dither.NONE)
    out = io.BytesIO()
    indexed.save(out, format="PNG", compress_level=3)
    return out.getvalue()
