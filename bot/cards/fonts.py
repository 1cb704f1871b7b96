"""Fonts for the cards: the shipped DejaVu Sans first, then fonts the OS has, per character.

The shipped faces (`assets/`) cover Latin with accents, Greek, Cyrillic, Arabic, Hebrew and
many symbols, so the cards look the same everywhere for those. For anything else (CJK,
Thai, Devanagari, colour emoji...) the first OS font whose character map has the character
is used: Noto fonts, then DejaVu, then a few common emoji and symbol fonts. Character maps
are read with fontTools, lazily and once per file; `warm_up()` reads them all ahead of time.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
SHIPPED_REGULAR = ASSETS / "DejaVuSans.ttf"
SHIPPED_BOLD = ASSETS / "DejaVuSans-Bold.ttf"

FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)

# OS fonts, tried in this order (file-name patterns; each pattern's matches sorted by name).
TEXT_PATTERNS = (
    "NotoSans-Regular.ttf",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK*-Regular.otf",
    "NotoSansCJK*-Regular.ttc",
    "NotoSans[A-Z]*-Regular.ttf",
    "NotoSans[A-Z]*-Regular.otf",
    "DejaVuSans.ttf",
    "Symbola*.ttf",
    "unifont*.otf",
)
# Bold OS faces tried before the regular ones in bold text (the common scripts only).
BOLD_PATTERNS = (
    "NotoSans-Bold.ttf",
    "NotoSansCJK-Bold.ttc",
    "NotoSansCJK*-Bold.otf",
    "NotoSansCJK*-Bold.ttc",
    "DejaVuSans-Bold.ttf",
)
EMOJI_PATTERNS = (
    "NotoColorEmoji*.ttf",
    "NotoEmoji-Regular.ttf",
    "Twemoji*.ttf",
    "seguiemj.ttf",
    "Apple Color Emoji.ttc",
)
# Per-script Noto faces that are not for names (monospace, display cuts, UI variants).
SKIP_WORDS = ("Mono", "Display", "UI-", "UI.", "Condensed", "SemiCondensed", "ExtraCondensed")

MAX_FONT_BYTES = 64 * 2**20  # a font file bigger than this is not read


class Face:
    """One font file (one face of a collection): its character map and sized fonts."""

    def __init__(self, path: Path, index: int = 0, *, colour: bool = False) -> None:
        self.path = path
        self.index = index
        self.colour = colour
        self._lock = threading.Lock()
        self._fonts: dict[int, ImageFont.FreeTypeFont] = {}

    def __repr__(self) -> str:
        return f"Face({self.path.name!r}, {self.index})"

    @cached_property
    def _info(self) -> tuple[frozenset[int], int | None]:
        """(the code points it maps, the fixed pixel size of a bitmap-only font).

        A file fontTools cannot read, or FreeType cannot load, maps nothing: it is skipped.
        """
        try:
            if self.path.stat().st_size > MAX_FONT_BYTES:
                return frozenset(), None
            font = TTFont(self.path, fontNumber=self.index, lazy=True)
            try:
                cmap = frozenset(font.getBestCmap() or {})
                strike = None
                if "glyf" not in font and "CFF " not in font and "CBLC" in font:
                    sizes = [s.bitmapSizeTable.ppemY for s in font["CBLC"].strikes]
                    strike = max(sizes) if sizes else None
            finally:
                font.close()
            ImageFont.truetype(str(self.path), strike or 20, index=self.index)
        except Exception:  # a broken font file is left out, never fatal
            log.warning("cards: cannot use font %s", self.path, exc_info=True)
            return frozenset(), None
        return cmap, strike

    @property
    def cmap(self) -> frozenset[int]:
        return self._info[0]

    @property
    def bitmap_size(self) -> int | None:
        """The only pixel size a bitmap font (colour emoji) loads at; None for outlines."""
        return self._info[1]

    def has(self, char: str) -> bool:
        return ord(char) in self.cmap

    def font(self, size: int) -> ImageFont.FreeTypeFont:
        """The font at `size` px (bitmap fonts: at their own size; scale when drawing)."""
        size = self.bitmap_size or size
        with self._lock:
            font = self._fonts.get(size)
            if font is None:
                font = ImageFont.truetype(str(self.path), size, index=self.index)
                self._fonts[size] = font
            return font


def font_dirs() -> list[Path]:
    """Existing system font folders; `CARDS_FONT_DIRS` (os.pathsep-separated) replaces them."""
    configured = os.environ.get("CARDS_FONT_DIRS")
    names = configured.split(os.pathsep) if configured is not None else FONT_DIRS
    return [Path(n).expanduser() for n in names if n and Path(n).expanduser().is_dir()]


def find_files(dirs: Iterable[Path], patterns: Sequence[str]) -> list[Path]:
    """Files under `dirs` matching `patterns`, pattern by pattern, each sorted by name."""
    found: list[Path] = []
    seen: set[str] = set()
    dirs = list(dirs)
    for pattern in patterns:
        matches: list[Path] = []
        for folder in dirs:
            try:
                matches.extend(folder.rglob(pattern))
            except OSError:
                continue
        for path in sorted(matches, key=lambda p: (p.name, str(p))):
            if path.name in seen or any(word in path.name for word in SKIP_WORDS):
                continue
            seen.add(path.name)
            found.append(path)
    return found


class FontChain:
    """Faces in the order they are tried; `face_for` answers which one draws a character.

    Emoji-style clusters try the emoji faces first, everything else the text faces first;
    answers are cached per (code point, emoji style).
    """

    def __init__(self, text: Sequence[Face], emoji: Sequence[Face] = ()) -> None:
        self.text = tuple(text)
        self.emoji = tuple(emoji)
        self._cache: dict[tuple[int, bool], Face | None] = {}
        self._lock = threading.Lock()

    @property
    def primary(self) -> Face:
        return self.text[0]

    def face_for(self, char: str, emoji: bool = False) -> Face | None:
        key = (ord(char), emoji)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        order = (*self.emoji, *self.text) if emoji else (*self.text, *self.emoji)
        face = next((f for f in order if f.has(char)), None)
        with self._lock:
            self._cache[key] = face
        return face

    def faces(self) -> tuple[Face, ...]:
        return (*self.text, *self.emoji)


class Fonts:
    """The two chains a card uses: regular and bold (bold falls back to regular faces)."""

    def __init__(self, regular: FontChain, bold: FontChain) -> None:
        self.regular = regular
        self.bold = bold

    def chain(self, bold: bool) -> FontChain:
        return self.bold if bold else self.regular

    def warm_up(self) -> None:
        """Read every character map now (seconds with many OS fonts; call it in a thread)."""
        for face in {*self.regular.faces(), *self.bold.faces()}:
            _ = face.cmap


def system_fonts(dirs: Iterable[Path] | None = None) -> Fonts:
    """Shipped faces first, then the OS faces found under `dirs` (default: `font_dirs()`)."""
    dirs = font_dirs() if dirs is None else list(dirs)
    text = [Face(path) for path in find_files(dirs, TEXT_PATTERNS)]
    bold_text = [Face(path) for path in find_files(dirs, BOLD_PATTERNS)]
    emoji = [Face(path, colour=True) for path in find_files(dirs, EMOJI_PATTERNS)]
    regular, bold = Face(SHIPPED_REGULAR), Face(SHIPPED_BOLD)
    return Fonts(
        FontChain([regular, *text], emoji),
        FontChain([bold, *bold_text, regular, *text], emoji),
    )


def shipped_fonts() -> Fonts:
    """Only the fonts in the repository: the same output on every machine."""
    regular, bold = Face(SHIPPED_REGULAR), Face(SHIPPED_BOLD)
    return Fonts(FontChain([regular]), FontChain([bold, regular]))


_default: Fonts | None = None
_default_lock = threading.Lock()


def default_fonts() -> Fonts:
    """The process-wide fonts (found once)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = system_fonts()
        return _default
