"""Cards as a member sees them: valid PNGs sized for Discord, bars that match the data,
hostile names and avatars that never break a card, and rendering that spares the event loop."""

from __future__ import annotations

import asyncio
import io
import os
import random
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from bot.cards import (
    CardRow,
    FlowSegment,
    LeaderboardCard,
    Progress,
    close_worker,
    render_group,
    render_leaderboard,
    render_leaderboard_async,
    render_money_flow,
    render_money_flow_async,
    render_personal,
    samples,
    shipped_fonts,
    system_fonts,
)
from bot.cards.flow import BAR_HEIGHT, STAGE_HEIGHT, TOTAL_HEIGHT
from bot.cards.paint import THEME
from bot.cards.parts import BAR_TOP, HEADER_HEIGHT, PAD, ROW_GAP, ROW_HEIGHT, WIDTH
from bot.cards.render import clear_caches
from bot.cards.samples import HOSTILE_NAMES, avatar_png
from bot.cards.worker import WORKER, CardWorkerError, clear_worker_caches
from tests.support.cards import MAX_PNG_BYTES


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.convert("RGB")


def close_to(pixel: tuple[int, ...], colour: tuple[int, int, int], slack: int = 12) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(pixel, colour, strict=False))


def run_length(image: Image.Image, y: int, x0: int, x1: int, colour: tuple[int, int, int]) -> int:
    """How many pixels of `colour` lie on row `y` between x0 and x1."""
    return sum(close_to(image.getpixel((x, y)), colour) for x in range(x0, x1))


# -- sizes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 10, 25])
def test_leaderboards_are_pngs_sized_for_discord(rows: int) -> None:
    png = render_leaderboard(samples.leaderboard(rows))
    image = decode(png)
    assert image.width == WIDTH
    # Header, one panel per row (plus the reader's own row from 10 on), footer.
    assert image.height >= HEADER_HEIGHT + rows * (ROW_HEIGHT + ROW_GAP)
    assert image.height <= 2400
    assert len(png) < MAX_PNG_BYTES


def test_more_rows_make_a_taller_card_and_rows_past_25_are_left_out() -> None:
    heights = [decode(render_leaderboard(samples.leaderboard(n))).height for n in (1, 5, 9)]
    assert heights == sorted(set(heights))
    board = samples.leaderboard(25)
    longer = replace(board, rows=board.rows + board.rows[:5])
    assert decode(render_leaderboard(longer)).size == decode(render_leaderboard(board)).size


def test_an_empty_board_says_so_instead_of_showing_nothing() -> None:
    empty = samples.leaderboard(0)
    image = decode(render_leaderboard(empty))
    silent = decode(render_leaderboard(replace(empty, empty_text="")))
    assert image.size == silent.size
    assert image.tobytes() != silent.tobytes()


def test_every_card_kind_renders() -> None:
    for png in (
        render_personal(samples.personal()),
        render_group(samples.group()),
        render_money_flow(samples.money_flow()),
    ):
        image = decode(png)
        assert image.width == WIDTH and 300 <= image.height <= 2400
        assert len(png) < MAX_PNG_BYTES


def test_the_card_is_opaque_with_the_house_accent() -> None:
    image = Image.open(io.BytesIO(render_leaderboard(samples.leaderboard(3))))
    assert image.mode in ("P", "RGB") and "transparency" not in image.info
    rgb = image.convert("RGB")
    assert close_to(rgb.getpixel((WIDTH // 2, image.height - 5)), THEME.background)
    assert close_to(rgb.getpixel((WIDTH - 2, 2)), THEME.accent, slack=30)  # stripe's end


# -- bars follow the data ------------------------------------------------------------------------


def bar_length(image: Image.Image, row: int, colour: tuple[int, int, int]) -> int:
    y = HEADER_HEIGHT + row * (ROW_HEIGHT + ROW_GAP) + BAR_TOP + 4
    return run_length(image, y, PAD, WIDTH - PAD, colour)


def test_leaderboard_bars_are_proportional_to_the_top_value() -> None:
    rows = tuple(
        CardRow(i + 1, name, "x", fraction)
        for i, (name, fraction) in enumerate([("Ana", 1.0), ("Budi", 0.5), ("Caca", 0.25)])
    )
    card = LeaderboardCard("Top", "", rows, "footer")
    image = decode(render_leaderboard(card))
    top, half, quarter = (bar_length(image, i, THEME.accent) for i in range(3))
    assert top > 300
    assert abs(half / top - 0.5) < 0.03
    assert abs(quarter / top - 0.25) < 0.03


@pytest.mark.parametrize("fraction", [float("nan"), -1.0, 0.0])
def test_a_meaningless_or_zero_fraction_draws_an_empty_track(fraction: float) -> None:
    rows = (CardRow(1, "Ana", "1", 1.0), CardRow(2, "Budi", "0", fraction))
    image = decode(render_leaderboard(LeaderboardCard("Top", "", rows, "")))
    assert bar_length(image, 0, THEME.accent) > 300
    assert bar_length(image, 1, THEME.accent) == 0
    assert bar_length(image, 1, THEME.track) > 300


def test_a_fraction_above_one_fills_the_bar_and_no_more() -> None:
    rows = (CardRow(1, "Ana", "1", 1.0), CardRow(2, "Budi", "2", 7.0))
    image = decode(render_leaderboard(LeaderboardCard("Top", "", rows, "")))
    assert bar_length(image, 1, THEME.accent) == bar_length(image, 0, THEME.accent)


def test_money_flow_segments_take_their_share_of_the_bar() -> None:
    card = replace(
        samples.money_flow(),
        segments=(
            FlowSegment("Store and TikTok", "$7.00", 0.7),
            FlowSegment("Creator", "$3.00", 0.3),
        ),
    )
    image = decode(render_money_flow(card))
    y = HEADER_HEIGHT + TOTAL_HEIGHT + STAGE_HEIGHT + 24 + 6  # the bar's top, above its labels
    creator = run_length(image, y, PAD, WIDTH - PAD, THEME.accent)
    assert abs(creator / (WIDTH - 2 * PAD) - 0.3) < 0.03
    assert BAR_HEIGHT > 12


def test_money_flow_fractions_past_one_are_scaled_into_the_bar() -> None:
    card = replace(
        samples.money_flow(),
        segments=(FlowSegment("A", "1", 1.5), FlowSegment("B", "1", 1.5)),
    )
    image = decode(render_money_flow(card))
    y = HEADER_HEIGHT + TOTAL_HEIGHT + STAGE_HEIGHT + 24 + 6
    assert (
        abs(run_length(image, y, PAD, WIDTH - PAD, THEME.accent) / (WIDTH - 2 * PAD) - 0.5) < 0.03
    )


def test_a_reached_goal_is_drawn_differently_from_one_in_progress() -> None:
    card = samples.personal()
    reached = replace(card, progress=(Progress("Goal", "10 / 10", 1.0),))
    halfway = replace(card, progress=(Progress("Goal", "10 / 10", 0.999),))
    assert decode(render_personal(reached)).tobytes() != decode(render_personal(halfway)).tobytes()


# -- hostile input -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(HOSTILE_NAMES))
def test_hostile_names_render_everywhere_a_name_goes(kind: str) -> None:
    name = HOSTILE_NAMES[kind]
    row = CardRow(1, name, name, 1.0, None, name, True)
    board = LeaderboardCard(name, name, (row,), name, row, name, name)
    for png in (
        render_leaderboard(board),
        render_personal(replace(samples.personal(), name=name, title=name, avatar_png=b"")),
        render_group(replace(samples.group(1), title=name, rows=(row,))),
    ):
        assert decode(png).width == WIDTH


def test_the_hostile_sample_board_renders() -> None:
    assert decode(render_leaderboard(samples.hostile_leaderboard())).width == WIDTH


def row_pixels(png: bytes, row: int = 0) -> bytes:
    top = HEADER_HEIGHT + row * (ROW_HEIGHT + ROW_GAP)
    return decode(png).crop((PAD, top, WIDTH - PAD, top + ROW_HEIGHT)).tobytes()


def test_blank_and_invisible_names_look_the_same_and_unlike_a_real_name() -> None:
    def card(name: str) -> bytes:
        return render_leaderboard(LeaderboardCard("T", "", (CardRow(1, name, "1", 1.0),), ""))

    blank = row_pixels(card(HOSTILE_NAMES["blank"]))
    assert row_pixels(card(HOSTILE_NAMES["invisible"])) == blank
    assert row_pixels(card("\u3164")) == blank
    assert row_pixels(card("Ana")) != blank


def test_a_formatted_rank_is_drawn_as_given() -> None:
    def card(**rank: object) -> bytes:
        row = CardRow(name="Ana", value_text="1", fraction=1.0, **rank)  # type: ignore[arg-type]
        return render_leaderboard(LeaderboardCard("T", "", (row,), ""))

    digits = row_pixels(card(rank=1234))
    assert row_pixels(card(rank=1234, rank_text="1234")) == digits
    assert row_pixels(card(rank=1234, rank_text="1.234")) != digits


# -- avatars -------------------------------------------------------------------------------------


def solid_avatar(colour: tuple[int, int, int], fmt: str = "PNG", size: int = 96) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, format=fmt)
    return out.getvalue()


def avatar_card(avatar: bytes | None) -> bytes:
    return render_leaderboard(LeaderboardCard("T", "", (CardRow(1, "Ana", "1", 1.0, avatar),), ""))


AVATAR_CENTRE = (PAD + 90, HEADER_HEIGHT + ROW_HEIGHT // 2)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_an_avatar_is_drawn_in_its_circle(fmt: str) -> None:
    image = decode(avatar_card(solid_avatar((20, 200, 60), fmt)))
    assert close_to(image.getpixel(AVATAR_CENTRE), (20, 200, 60), slack=20)
    corner = (AVATAR_CENTRE[0] - 19, AVATAR_CENTRE[1] - 19)  # inside the square, outside the circle
    assert not close_to(image.getpixel(corner), (20, 200, 60), slack=40)


def huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, format="PNG")  # 36 Mpx, a few kB
    return out.getvalue()


@pytest.mark.parametrize(
    "avatar",
    [
        b"\x89PNG\r\n\x1a\nnot really",
        b"",
        b"GIF89a" + b"\x00" * 50,
        solid_avatar((20, 200, 60))[:200],  # truncated
        huge_png(),
        b"\xff\xd8\xff" + random.Random(7).randbytes(5000),
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
    ids=["corrupt", "empty", "bad gif", "truncated", "36 megapixels", "random jpeg", "svg"],
)
def test_a_bad_avatar_falls_back_to_the_initial_quickly(avatar: bytes) -> None:
    started = time.perf_counter()
    png = avatar_card(avatar)
    assert time.perf_counter() - started < 2.0
    assert png == avatar_card(None)


def test_too_many_avatar_bytes_are_not_even_opened() -> None:
    padded = solid_avatar((20, 200, 60)) + b"\x00" * (5 * 2**20)
    assert avatar_card(padded) == avatar_card(None)


# -- determinism and the event loop ---------------------------------------------------------------


def test_the_same_card_gives_the_same_bytes_even_after_caches_are_cleared() -> None:
    card = samples.leaderboard(10)
    first = render_leaderboard(card)
    clear_caches()
    assert render_leaderboard(card) == first
    assert render_leaderboard(card, system_fonts()) == first  # freshly found fonts


def test_the_shipped_fonts_alone_render_latin_and_arabic_names() -> None:
    fonts = shipped_fonts()
    card = samples.leaderboard(3, names=("João Conceição", "محمد العلي", "Dewi"))
    assert render_leaderboard(card, fonts) == render_leaderboard(card, fonts)


async def test_rendering_off_the_loop_keeps_the_loop_responsive() -> None:
    card = samples.leaderboard(25)
    expected = render_leaderboard(card)
    assert await render_leaderboard_async(card) == expected  # the worker is up
    lags: list[float] = []
    ticks_per_render: list[int] = []
    running = True

    async def ticker() -> None:
        while running:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            lags.append(time.perf_counter() - before - 0.001)

    task = asyncio.create_task(ticker())
    for _ in range(5):
        await clear_worker_caches()  # real work every time
        ticks = len(lags)
        assert await render_leaderboard_async(card) == expected
        ticks_per_render.append(len(lags) - ticks)
    running = False
    await task
    assert min(ticks_per_render) >= 3, ticks_per_render  # the loop ran during every render
    typical = sorted(lags)[int(len(lags) * 0.9)]
    assert typical < 0.010, f"the loop ran {typical * 1000:.1f} ms late (90th percentile)"


async def test_async_renders_queue_up_and_all_complete() -> None:
    cards = [samples.leaderboard(n) for n in (1, 5, 10)]
    results = await asyncio.gather(*(render_leaderboard_async(c) for c in cards))
    assert results == [render_leaderboard(c) for c in cards]


async def test_a_dead_worker_is_replaced_and_the_next_card_renders() -> None:
    with pytest.raises(CardWorkerError):
        await WORKER.run(os._exit, 3)  # dies on the first try and on the retry
    card = samples.leaderboard(1)
    assert await render_leaderboard_async(card) == render_leaderboard(card)


async def test_after_close_the_next_card_starts_a_new_worker() -> None:
    card = samples.money_flow()
    first = await render_money_flow_async(card)
    close_worker()
    assert await render_money_flow_async(card) == first == render_money_flow(card)


# -- examples for people -------------------------------------------------------------------------


def test_example_cards_are_written_for_the_readme(tmp_path: Path) -> None:
    """`CARDS_EXAMPLES=folder pytest -k example_cards` keeps them in `folder`."""
    folder = Path(os.environ.get("CARDS_EXAMPLES") or tmp_path)
    written = samples.write_examples(folder)
    assert len(written) == 8
    for path in written:
        assert decode(path.read_bytes()).width == WIDTH
    assert avatar_png(1) != avatar_png(2)
