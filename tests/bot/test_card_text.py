"""Names on cards: the right font per character, no boxes, right-to-left, ellipsis, literal text."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from bot.cards import default_fonts, shipped_fonts, system_fonts
from bot.cards.avatars import initial
from bot.cards.fonts import SHIPPED_BOLD, SHIPPED_REGULAR, Face, FontChain
from bot.cards.samples import HOSTILE_NAMES
from bot.cards.text import (
    ELLIPSIS,
    PLACEHOLDER_EM,
    TextLine,
    clean,
    clusters,
    fit,
    is_blank,
    layout,
    runs,
)

SIZE = 20


def no_boxes(line: TextLine) -> None:
    """Every character handed to a font is in its map; unknown runs are single placeholders."""
    for run in line.runs:
        if run.face is not None:
            missing = [hex(ord(c)) for c in run.text if not run.face.has(c)]
            assert not missing, (run, missing)
    placeholders = [run.face is None for run in line.runs]
    assert not any(a and b for a, b in pairwise(placeholders))


@pytest.mark.parametrize("kind", sorted(HOSTILE_NAMES))
def test_hostile_names_lay_out_without_boxes_and_fit(kind: str) -> None:
    chain = default_fonts().bold
    line = fit(HOSTILE_NAMES[kind], chain, SIZE, 300)
    no_boxes(line)
    assert line.width <= 300


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_any_text_lays_out_without_boxes_within_its_width(name: str) -> None:
    line = fit(name, default_fonts().regular, SIZE, 250)
    no_boxes(line)
    assert line.width <= 250
    image = Image.new("RGB", (300, 40))
    line.draw(image, 0, 30, (255, 255, 255))


def test_a_character_the_bold_face_lacks_comes_from_the_regular_one() -> None:
    bold, regular = Face(SHIPPED_BOLD), Face(SHIPPED_REGULAR)
    chain = FontChain([bold, regular])
    fancy = "𝖠𝗇𝖺 Ana"  # mathematical sans-serif letters: "fancy font" user names
    assert not bold.has("𝖠") and regular.has("𝖠")
    line = layout(fancy, chain, SIZE)
    assert [(run.text, run.face) for run in line.runs] == [("𝖠𝗇𝖺 ", regular), ("Ana", bold)]


def test_a_script_no_font_has_becomes_one_neat_placeholder() -> None:
    chain = shipped_fonts().regular  # no CJK in the shipped face
    line = layout("山田太郎", chain, SIZE)
    assert [(run.text, run.face) for run in line.runs] == [("山田太郎", None)]
    assert line.width == pytest.approx(SIZE * PLACEHOLDER_EM)
    mixed = layout("Yui 山田 ok", chain, SIZE)
    assert [run.face is None for run in mixed.runs] == [False, True, False]


def os_face_with(char: str, emoji: bool = False) -> Face | None:
    chain = system_fonts().regular
    face = chain.face_for(char, emoji)
    return face if face is not None and face is not chain.primary else None


@pytest.mark.skipif(os_face_with("山") is None, reason="no CJK font on this machine")
def test_cjk_comes_from_an_os_font_when_there_is_one() -> None:
    chain = default_fonts().regular
    line = layout("山田 Ana", chain, SIZE)
    assert line.runs[0].face is not None and line.runs[0].face.has("山")
    assert line.runs[0].face is not chain.primary


@pytest.mark.skipif(os_face_with("😀", emoji=True) is None, reason="no emoji font here")
def test_emoji_come_from_the_emoji_font_and_joined_sequences_stay_whole() -> None:
    chain = default_fonts().regular
    family = "👨\u200d👩\u200d👧"
    line = layout(f"Ana {family}", chain, SIZE)
    assert [run.text for run in line.runs] == ["Ana ", family]
    assert line.runs[1].face in chain.emoji
    assert line.widths[1] < SIZE * 2  # one glyph, not three


def test_a_broken_os_font_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "NotoSans-Regular.ttf").write_bytes(b"\x00\x01\x00\x00" + b"junk" * 100)
    (tmp_path / "NotoColorEmoji.ttf").write_bytes(b"")
    fonts = system_fonts([tmp_path])
    line = layout("Ana 山 🫠", fonts.regular, SIZE)  # DejaVu has no melting face
    assert [run.face is None for run in line.runs] == [False, True, False, True]


def test_clusters_keep_marks_joiners_flags_and_skin_tones_together() -> None:
    assert clusters("e\u0301a") == ["e\u0301", "a"]
    assert clusters("🇧🇷🇮🇩") == ["🇧🇷", "🇮🇩"]
    assert clusters("👍🏽!") == ["👍🏽", "!"]
    assert clusters("👨\u200d👩\u200d👧x") == ["👨\u200d👩\u200d👧", "x"]
    assert clusters("1\ufe0f\u20e3") == ["1\ufe0f\u20e3"]


def test_zalgo_keeps_a_few_marks_per_letter() -> None:
    assert all(len(c) <= 4 for c in clusters(HOSTILE_NAMES["zalgo"]))


def test_controls_and_direction_overrides_are_removed() -> None:
    assert clean(HOSTILE_NAMES["controls"]) == "line break tab nul"
    assert clean(HOSTILE_NAMES["bidi override"]) == "exe.live"
    assert clean("  two   spaces\u2028") == "two spaces"


@pytest.mark.parametrize("kind", ["blank", "invisible"])
def test_blank_names_are_recognised(kind: str) -> None:
    assert is_blank(HOSTILE_NAMES[kind])


@pytest.mark.parametrize("name", ["a", "山", "😀", "محمد", "𝖠"])
def test_visible_names_are_not_blank(name: str) -> None:
    assert not is_blank(name)


def test_markdown_is_drawn_literally() -> None:
    name = HOSTILE_NAMES["markdown"]
    line = layout(name, shipped_fonts().regular, SIZE)
    assert "".join(run.text for run in line.runs) == name


def test_long_names_end_in_an_ellipsis_and_keep_their_start() -> None:
    chain = shipped_fonts().bold
    name = HOSTILE_NAMES["long"]
    line = fit(name, chain, SIZE, 300)
    shown = "".join(run.text for run in line.runs)
    assert line.width <= 300 < layout(name, chain, SIZE).width
    assert shown.endswith(ELLIPSIS) and name.startswith(shown[:-1].rstrip())
    assert len(shown) > 10  # cut as late as fits, not at the first word


def test_a_name_that_fits_is_untouched() -> None:
    line = fit("Dewi", shipped_fonts().bold, SIZE, 300)
    assert "".join(run.text for run in line.runs) == "Dewi"


def test_arabic_runs_right_to_left() -> None:
    chain = shipped_fonts().regular
    assert all(run.rtl for run in runs("محمد العلي", chain))
    # An Arabic name in a Latin line: the Arabic sits where it was, drawn right to left.
    latin_first = runs("Ana محمد 2024", chain)
    assert [(r.text, r.rtl) for r in latin_first] == [
        ("Ana ", False),
        ("محمد", True),
        (" 2024", False),
    ]
    # An Arabic line: the number after the name is drawn to its left.
    arabic_first = runs("محمد 2024", chain)
    assert [(r.text, r.rtl) for r in arabic_first] == [("2024", False), ("محمد ", True)]


def test_without_raqm_right_to_left_text_is_reversed_and_still_drawn() -> None:
    chain = shipped_fonts().regular
    shaped = layout("محمد", chain, SIZE, raqm=True)
    plain = layout("محمد", chain, SIZE, raqm=False)
    assert plain.width > 0 and shaped.width > 0
    image = Image.new("RGB", (200, 40))
    plain.draw(image, 10, 30, (255, 255, 255))
    assert image.getbbox() is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dewi", "D"),
        ("  ana", "A"),
        ("山田", "?"),
        ("山田 Yui", "Y"),
        ("\u200b\u3164", "?"),
        ("", "?"),
    ],
)
def test_the_avatar_initial_is_the_first_letter_a_font_can_draw(name: str, expected: str) -> None:
    assert initial(name, shipped_fonts().bold) == expected


def test_a_format_character_no_font_has_is_dropped_not_marked() -> None:
    line = layout("Ana\U000e0001 Lee", shipped_fonts().regular, SIZE)  # a language tag
    assert [(run.text, run.face is None) for run in line.runs] == [("Ana Lee", False)]
