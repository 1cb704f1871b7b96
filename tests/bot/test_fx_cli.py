"""`python -m bot fx update FILE`: a newer ECB file is validated, stored and used by the running
bot in every server (a server's own rate still wins); an older or bad file is refused with one
line and exit status 2, and nothing is stored. On both backends: the command stores into the
database the bot is configured with, SQLite file or PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import BotConfig
from economy import profiles
from tests.support.backends import Backend
from tests.support.bots import offline_bot
from tests.support.people import ALICE, GUILD
from tests.support.replies import embed_of, field, only_reply
from tests.support.server_settings import use_settings

HERE = Path(__file__).resolve().parent
NEWER = HERE / "fx" / "eurofxref-daily.xml"  # 2026-10-20, USD 1.1500, IDR 20700.00
SHIPPED_DAY = HERE.parent / "economy" / "ecb" / "eurofxref-daily.xml"  # 2026-10-06, verbatim
HISTORY = HERE.parent / "economy" / "ecb" / "eurofxref-hist.csv"  # newest day 2026-02-20

pytestmark = pytest.mark.both_backends


@pytest.fixture
def cli(config: BotConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`python -m bot ...` in this process, on the test's database: (status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(config.database_path))
    if config.database_url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", config.database_url_value() or "")

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = main(list(argv))
        return status, out.getvalue(), err.getvalue()

    return run


async def stored_days(backend: Backend) -> list[str]:
    async with await backend.open() as storage:
        newest = await storage.reference_rates.newest_reference_rates()
    return [] if newest is None else [newest.rates.as_of.isoformat()]


async def gross_in_rupiah(bot) -> tuple[str, str]:
    embed = embed_of(
        only_reply(await bot.command("gift value", {"gift": "galaxy"}, user=ALICE, guild=GUILD))
    )
    return field(embed, "Creator's gross"), embed["footer"]["text"]


async def test_a_newer_file_is_used_by_the_running_bot(
    cli, config: BotConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profiles, "RATES_CHECK_SECONDS", 0.0)  # look on every command
    async with offline_bot(config) as bot:
        await use_settings(bot, {"currency": "IDR"})
        before, footer = await gross_in_rupiah(bot)
        assert before == "$5.00 (≈ IDR89,204)" and "ECB, Oct 6, 2026" in footer

        status, out, err = await asyncio.to_thread(cli, "fx", "update", str(NEWER))
        assert (status, err) == (0, "")
        assert out.startswith("Loaded the ECB rates of 2026-10-20 from eurofxref-daily.xml")
        assert "USD->IDR 18,000" in out  # 20,700 / 1.15

        after, footer = await gross_in_rupiah(bot)
        assert after == "$5.00 (≈ IDR90,000)" and "ECB, Oct 20, 2026" in footer
        dm = embed_of(only_reply(await bot.command("coins", {"amount": 70}, user=ALICE)))
        assert "ECB" not in dm["footer"]["text"]  # all in USD: no rate used

        await use_settings(bot, {"fx:IDR": "16000"})
        own, footer = await gross_in_rupiah(bot)
        assert own == "$5.00 (≈ IDR80,000)" and "this server's rate" in footer

    status, out, _ = await asyncio.to_thread(cli, "fx", "show")
    assert status == 0 and "rates of 2026-10-20 (eurofxref-daily.xml, loaded " in out


async def test_a_zipped_history_file_loads_the_day_asked_for(cli, backend: Backend, tmp_path):
    archive = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("eurofxref-hist.csv", NEWER_AS_CSV)
    status, out, err = await asyncio.to_thread(
        cli, "fx", "update", str(archive), "--day", "2026-10-19"
    )
    assert (status, err) == (0, ""), err
    assert "rates of 2026-10-19" in out
    assert await stored_days(backend) == ["2026-10-19"]


NEWER_AS_CSV = (
    "Date,USD,IDR,BRL,GBP,INR,PHP,MXN,\n"
    "2026-10-20,1.1500,20700.00,5.5991,0.84880,108.6615,70.702,20.2217,\n"
    "2026-10-19,1.1400,20500.00,5.5991,0.84880,108.6615,70.702,20.2217,\n"
)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda tmp: HISTORY, "eurofxref-hist.csv carries the rates of 2026-02-20, older than"),
        (lambda tmp: tmp / "absent.xml", "Cannot read "),
        (lambda tmp: write(tmp / "page.html", b"<html>Not found</html>"), "page.html: "),
        (lambda tmp: write(tmp / "empty.xml", b""), "empty.xml: "),
        (lambda tmp: write(tmp / "x.csv", b"Date,USD\n2026-10-20,-1\n"), "x.csv: "),
        (lambda tmp: write(tmp / "y.csv", b"Date,JPY\n2026-10-20,178\n"), "y.csv: "),
    ],
    ids=["older", "missing", "not ECB", "empty", "negative rate", "no USD"],
)
async def test_a_file_that_will_not_do_is_refused_in_one_line(
    cli, backend: Backend, tmp_path: Path, make, says: str
) -> None:
    status, out, err = await asyncio.to_thread(cli, "fx", "update", str(make(tmp_path)))
    assert status == 2 and out == ""
    assert err.startswith(says) and err.count("\n") == 1, err
    assert "Traceback" not in err and err.rstrip().endswith("Nothing was loaded.")
    assert await stored_days(backend) == []


async def test_the_shipped_day_again_changes_nothing(cli, backend: Backend) -> None:
    status, out, _ = await asyncio.to_thread(cli, "fx", "update", str(SHIPPED_DAY))
    assert status == 0 and "already uses the ECB rates of 2026-10-06" in out
    assert await stored_days(backend) == []


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
