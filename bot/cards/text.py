"""One line of user text on a card: font fallback per character, right-to-left, ellipsis.

A name goes through `clean` (control characters become spaces, bidi overrides are dropped,
at most `MAX_CHARS`), is split into clusters (a character with at most `MAX_MARKS` marks,
joiners, variation selectors, skin tones, flag pairs), each cluster gets the first
face that has its base character (`FontChain.face_for`), and consecutive clusters with the
same face and direction form a `Run`. Clusters no face has become one neat placeholder dot
per run, never a row of boxes. Runs are put in visual order by a small bidi pass (strong
directions; neutrals between two equal directions take it, else the line's); with Pillow's
raqm layout each run is shaped (Arabic joins), without it right-to-left runs are reversed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, features

from bot.cards.fonts import Face, FontChain

MAX_CHARS = 200  # longer text cannot fit on a card line anyway
MAX_MARKS = 3  # combining marks kept per cluster ("zalgo" text stays on its line)
ELLIPSIS = "…"
PLACEHOLDER_EM = 0.55  # width of the "no font has this" dot, in em
EMOJI_EM = 1.0  # bitmap (colour) emoji are scaled to this many ems of the text around them

RAQM = bool(features.check_feature("raqm"))

# Format characters that steer direction: dropped, so a name cannot reorder the card.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Characters that draw nothing although they are not spaces (popular "invisible names").
BLANK_LOOKING = frozenset("\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0\u034f\u00ad")
ZWJ = "\u200d"
KEYCAP = "\u20e3"


def clean(text: str) -> str:
    """One line of drawable text: controls become spaces, spaces collapse, ends trimmed."""
    out: list[str] = []
    for char in text[: MAX_CHARS * 2]:
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Zl", "Zp"):
            char = " "
        elif char in BIDI_CONTROLS or category == "Cs":
            continue
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        out.append(char)
    return "".join(out).strip()[:MAX_CHARS]


def is_blank(text: str) -> bool:
    """True when the text would draw nothing: spaces, format characters, invisible fillers."""
    for char in clean(text):
        category = unicodedata.category(char)
        if char.isspace() or char in BLANK_LOOKING or category in ("Cf", "Mn", "Me"):
            continue
        return False
    return True


def _extends(char: str) -> bool:
    """Belongs to the cluster before it."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char == ZWJ
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag sequences (subdivision flags)
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def clusters(text: str) -> list[str]:
    """User-perceived characters, near enough for choosing fonts and cutting text."""
    out: list[str] = []
    marks = 0
    joined = False
    for char in text:
        mark = unicodedata.category(char) in ("Mn", "Me")
        if out and (joined or _extends(char)):
            if mark:
                marks += 1
                if marks > MAX_MARKS:
                    continue
            out[-1] += char
        elif out and _regional(char) and len(out[-1]) == 1 and _regional(out[-1]):
            out[-1] += char
        else:
            out.append(char)
            marks = 0
        joined = char == ZWJ
    return out


# Emoji_Presentation code points below U+1F000 (Unicode emoji-data.txt), as ranges.
BMP_EMOJI = (
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3),
    (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F),
    (0x2693, 0x2693), (0x26A1, 0x26A1), (0x26AA, 0x26AB), (0x26BD, 0x26BE),
    (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA),
    (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C),
    (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797),
    (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
)  # fmt: skip


def is_emoji(cluster: str) -> bool:
    """Wants a colour emoji face: pictographs, flags, keycaps, or an explicit VS16."""
    base = ord(cluster[0])
    if 0x1F000 <= base <= 0x1FAFF or "\ufe0f" in cluster or KEYCAP in cluster:
        return True
    return base in _BMP_EMOJI and "\ufe0e" not in cluster


_BMP_EMOJI = frozenset(code for low, high in BMP_EMOJI for code in range(low, high + 1))


def direction(cluster: str) -> str | None:
    """'rtl', 'ltr' (letters and digits), or None for neutrals."""
    kind = unicodedata.bidirectional(cluster[0])
    if kind in ("R", "AL"):
        return "rtl"
    if kind in ("L", "EN", "AN"):
        return "ltr"
    return None


@dataclass(frozen=True)
class Run:
    """Clusters drawn in one call: one face (None: a placeholder dot) and one direction."""

    text: str
    face: Face | None
    rtl: bool


def _invisible(cluster: str) -> bool:
    """Only format characters, marks or blank fillers: nothing a reader would miss."""
    return all(c in BLANK_LOOKING or unicodedata.category(c) in ("Cf", "Mn", "Me") for c in cluster)


def _common(cluster: str) -> bool:
    """Punctuation, spaces, digits and symbols: fine in whatever face the text around uses."""
    return unicodedata.category(cluster[0])[0] in "PZNS" and not is_emoji(cluster)


def runs(text: str, chain: FontChain) -> list[Run]:
    """The runs of already clean text, in visual (left to right) order."""
    if text.isascii() and text.isprintable():  # most names and numbers: one run
        primary = chain.primary
        if all(primary.has(char) for char in text):
            return [Run(text, primary, False)] if text else []
    faces: list[Face | None] = []
    shown: list[str] = []
    directions: list[str | None] = []
    for part in clusters(text):
        previous = faces[-1] if faces else None
        if previous is not None and not previous.colour and _common(part) and previous.has(part[0]):
            face: Face | None = previous
        else:
            face = chain.face_for(part[0], is_emoji(part))
        if face is None and _invisible(part):
            continue  # a format character no font maps draws nothing: no placeholder either
        faces.append(face)
        # Drop what the face lacks (joiners, selectors, marks): they would draw as boxes.
        shown.append(part if face is None else "".join(c for c in part if face.has(c)))
        directions.append(direction(part))
    base = next((d for d in directions if d is not None), "ltr")
    resolved = _resolve(directions, base)

    # Group by direction into level runs, then by face inside each.
    levels: list[tuple[str, list[tuple[str, Face | None]]]] = []
    for part, face, where in zip(shown, faces, resolved, strict=True):
        if not levels or levels[-1][0] != where:
            levels.append((where, []))
        items = levels[-1][1]
        if items and items[-1][1] is face:
            items[-1] = (items[-1][0] + part, face)
        else:
            items.append((part, face))
    out: list[Run] = []
    ordered = levels if base == "ltr" else list(reversed(levels))
    for where, items in ordered:
        rtl = where == "rtl"
        for part, face in reversed(items) if rtl else items:
            if part:
                out.append(Run(part, face, rtl))
    return out


def _resolve(directions: list[str | None], base: str) -> list[str]:
    """Neutrals between two equal strong directions take it; other neutrals take `base`."""
    after: list[str | None] = []
    following: str | None = None
    for own in reversed(directions):
        after.append(following)
        following = own if own is not None else following
    after.reverse()
    resolved: list[str] = []
    before: str | None = None
    for own, next_strong in zip(directions, after, strict=True):
        if own is not None:
            resolved.append(own)
            before = own
        else:
            resolved.append(before if before is not None and before == next_strong else base)
    return resolved


class TextLine:
    """Laid-out runs at one size: width known, drawn at a baseline."""

    def __init__(self, runs_: list[Run], size: int, raqm: bool = RAQM) -> None:
        self.runs = runs_
        self.size = size
        self.raqm = raqm
        self.widths = [self._width(run) for run in runs_]
        self.width = sum(self.widths)

    def _width(self, run: Run) -> float:
        if run.face is None:
            return self.size * PLACEHOLDER_EM
        font, scale = _font(run.face, self.size, self.raqm)
        text = _visual(run, self.raqm)
        if self.raqm:
            length = font.getlength(text, direction="rtl" if run.rtl else "ltr")
        else:
            length = font.getlength(text)
        return length * scale

    def draw(
        self,
        image: Image.Image,
        x: float,
        baseline: float,
        colour: tuple[int, int, int],
        dim: tuple[int, int, int] | None = None,
    ) -> None:
        """Left edge at `x`, baseline at `baseline`; placeholders in `dim` (default: colour)."""
        draw = ImageDraw.Draw(image)
        for run, width in zip(self.runs, self.widths, strict=True):
            if run.face is None:
                _placeholder(draw, x, baseline, self.size, width, dim or colour)
            elif run.face.bitmap_size:
                _draw_bitmap(image, run, x, baseline, self.size, self.raqm)
            else:
                font, _ = _font(run.face, self.size, self.raqm)
                draw.text(
                    (x, baseline),
                    _visual(run, self.raqm),
                    font=font,
                    fill=colour,
                    anchor="ls",
                    embedded_color=run.face.colour,
                    direction=("rtl" if run.rtl else "ltr") if self.raqm else None,
                )
            x += width


def _visual(run: Run, raqm: bool) -> str:
    """Text as handed to Pillow: raqm reverses right-to-left itself; basic layout does not."""
    if run.rtl and not raqm:
        return "".join(reversed(clusters(run.text)))
    return run.text


def _font(face: Face, size: int, raqm: bool) -> tuple[ImageFont.FreeTypeFont, float]:
    """The face's font for `size` px text and the scale to draw it at (bitmap fonts)."""
    font = face.font(size) if raqm else _basic(face, size)
    native = face.bitmap_size
    return font, (size * EMOJI_EM / native if native else 1.0)


@lru_cache(maxsize=256)
def _basic(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """The same face with Pillow's basic layout (no raqm: no shaping, no bidi)."""
    return ImageFont.truetype(
        str(face.path),
        face.bitmap_size or size,
        index=face.index,
        layout_engine=ImageFont.Layout.BASIC,
    )


def _placeholder(
    draw: ImageDraw.ImageDraw,
    x: float,
    baseline: float,
    size: int,
    width: float,
    colour: tuple[int, int, int],
) -> None:
    """A small dot at mid x-height: something is here that no font can show."""
    radius = max(1.5, size * 0.12)
    cx, cy = x + width / 2, baseline - size * 0.32
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=colour)


def _draw_bitmap(
    image: Image.Image, run: Run, x: float, baseline: float, size: int, raqm: bool
) -> None:
    """Colour bitmap glyphs (Noto Color Emoji) drawn at their size, scaled to the line."""
    if run.face is None:  # only runs with a bitmap face are drawn here
        return
    scaled, rise = _bitmap_tile(run.face, _visual(run, raqm), size, raqm)
    image.paste(scaled, (round(x), round(baseline - rise)), scaled)


@lru_cache(maxsize=512)
def _bitmap_tile(face: Face, text: str, size: int, raqm: bool) -> tuple[Image.Image, float]:
    """The run drawn at the face's own size, scaled for `size` px text; and its ascent."""
    font, scale = _font(face, size, raqm)
    ascent, descent = font.getmetrics()
    tile = Image.new("RGBA", (max(1, round(font.getlength(text))), ascent + descent))
    ImageDraw.Draw(tile).text((0, 0), text, font=font, embedded_color=True)
    width = max(1, round(tile.width * scale))
    height = max(1, round(tile.height * scale))
    return tile.resize((width, height), Image.Resampling.LANCZOS), ascent * scale


@lru_cache(maxsize=4096)
def layout(text: str, chain: FontChain, size: int, raqm: bool = RAQM) -> TextLine:
    """`text` cleaned and laid out at `size` px, whatever its width."""
    return TextLine(runs(clean(text), chain), size, raqm)


@lru_cache(maxsize=4096)
def fit(text: str, chain: FontChain, size: int, max_width: float, raqm: bool = RAQM) -> TextLine:
    """`text` laid out at `size` px, cut at a cluster and ended with "…" when too wide."""
    line = layout(text, chain, size, raqm)
    if line.width <= max_width:
        return line
    parts = clusters(clean(text))
    low, high = 0, len(parts)  # the longest prefix that fits with the ellipsis
    best = layout(ELLIPSIS, chain, size, raqm)
    while low < high:
        middle = (low + high + 1) // 2
        candidate = layout("".join(parts[:middle]).rstrip() + ELLIPSIS, chain, size, raqm)
        if candidate.width <= max_width:
            low, best = middle, candidate
        else:
            high = middle - 1
    return best


def wrap(
    text: str, chain: FontChain, size: int, max_width: float, max_lines: int, raqm: bool = RAQM
) -> list[TextLine]:
    """Up to `max_lines` lines broken at spaces; the last one ellipsised if text remains."""
    words = clean(text).split(" ")
    lines: list[TextLine] = []
    while words and len(lines) < max_lines:
        if len(lines) == max_lines - 1:
            lines.append(fit(" ".join(words), chain, size, max_width, raqm))
            break
        taken, high = 1, len(words)  # the most words that fit (at least one, cut if need be)
        while taken < high:
            middle = (taken + high + 1) // 2
            if layout(" ".join(words[:middle]), chain, size, raqm).width <= max_width:
                taken = middle
            else:
                high = middle - 1
        lines.append(fit(" ".join(words[:taken]), chain, size, max_width, raqm))
        words = words[taken:]
    return lines


def clear_caches() -> None:
    """Forget laid-out lines and scaled emoji."""
    layout.cache_clear()
    fit.cache_clear()
    _bitmap_tile.cache_clear()
