"""Avatars: image bytes decoded defensively and cropped to a circle, or an initial letter.

Bytes come from the network, so anything may arrive: too many bytes, a huge picture, a
truncated or corrupt file, an unexpected format. Each of those falls back to a coloured
circle with the name's first letter, quickly and without an exception.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import warnings
import zlib
from collections import OrderedDict

from PIL import Image, ImageChops

from bot.cards.fonts import FontChain, Fonts
from bot.cards.paint import PALETTE, THEME, Colour, circle, rounded_mask
from bot.cards.text import clean, clusters, fit, is_blank, is_emoji

log = logging.getLogger(__name__)

MAX_AVATAR_BYTES = 4 * 2**20
MAX_AVATAR_PIXELS = 1024 * 1024  # decoded size (JPEGs are decoded at a reduced scale first)
MAX_JPEG_SIDE = 16384  # a JPEG this large still decodes at 1/8 scale under the pixel limit
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")


class AvatarCache:
    """Recently decoded avatars by a digest of their bytes (the same people come back)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[tuple[bytes, int], Image.Image | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, data: bytes, diameter: int) -> Image.Image | None:
        key = (hashlib.blake2b(data, digest_size=16).digest(), diameter)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        picture = _decode(data, diameter)
        with self._lock:
            self._items[key] = picture
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return picture

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


CACHE = AvatarCache()


def decode_avatar(data: bytes | None, diameter: int) -> Image.Image | None:
    """A `diameter`-px RGBA circle of the picture in `data`, or None if it is not usable."""
    if not data or len(data) > MAX_AVATAR_BYTES:
        return None
    return CACHE.get(data, diameter)


def _decode(data: bytes, diameter: int) -> Image.Image | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = opened.size
            if opened.format == "JPEG":
                if max(width, height) > MAX_JPEG_SIDE:
                    return None
                opened.draft("RGB", (diameter * 2, diameter * 2))
                width, height = opened.size
            if width < 1 or height < 1 or width * height > MAX_AVATAR_PIXELS:
                return None
            opened.load()
            picture = opened.convert("RGBA")
            side = min(width, height)
            left, top = (width - side) // 2, (height - side) // 2
            picture = picture.resize(
                (diameter, diameter),
                Image.Resampling.LANCZOS,
                box=(left, top, left + side, top + side),
                reducing_gap=1.5,  # box-reduce first: half the time, same look
            )
            alpha = ImageChops.multiply(
                picture.getchannel("A"), rounded_mask(diameter, diameter, diameter)
            )
            picture.putalpha(alpha)
            return picture
    except Exception as error:  # whatever the bytes are, the card still renders
        log.debug("cards: avatar not decoded: %r", error)
        return None


def initial(name: str, chain: FontChain) -> str:
    """The name's first visible character that a font can draw, upper-cased; else "?"."""
    for cluster in clusters(clean(name)):
        if is_blank(cluster) or chain.face_for(cluster[0], is_emoji(cluster)) is None:
            continue
        upper = cluster.upper()
        return upper if len(upper) == len(cluster) else cluster
    return "?"


def initial_colour(name: str) -> Colour:
    """The same colour for the same name, on every machine (grey for a blank name)."""
    if is_blank(name):
        return THEME.faint
    return PALETTE[zlib.crc32(name.encode("utf-8", "surrogatepass")) % len(PALETTE)]


def draw_avatar(
    image: Image.Image,
    fonts: Fonts,
    centre: tuple[int, int],
    diameter: int,
    data: bytes | None,
    name: str,
) -> bool:
    """Paste the avatar centred at `centre`; True when it was the picture, False the initial."""
    cx, cy = centre
    left, top = cx - diameter // 2, cy - diameter // 2
    picture = decode_avatar(data, diameter)
    if picture is not None:
        image.paste(picture, (left, top), picture)
        return True
    circle(image, (cx, cy), diameter // 2, initial_colour(name))
    size = max(8, round(diameter * 0.46))
    line = fit(initial(name, fonts.bold), fonts.bold, size, diameter * 0.8)
    line.draw(image, cx - line.width / 2, cy + size * 0.36, THEME.text)
    return False
