"""The bot refuses to start, or to write, on a database it must not use, and says why.

A vanished data folder is noticed while running (writes refused, an ERROR logged) and at the
next start (no empty database is created in its place); a read-only, corrupt or newer
database stops the command line with one clear line, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.cli as cli
from bot.config import BotConfig
from bot.services import open_storage
from tests.support.bots import offline_bot
from tests.support.people import ALICE, GUILD
from tests.support.processes import child_env, run_cli
from tests.support.replies import only_reply, refusal
from tests.support.sqlite_files import run_sql

TOKEN = "MTEx.fake-token-for-tests.abcdefghijklmnop"


def config_in(tmp_path: Path) -> BotConfig:
    return BotConfig(
        discord_token=None,
        database_path=tmp_path / "data" / "bot.sqlite3",
        state_dir=tmp_path / "state",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BotConfig:
    """`python -m bot` in-process on `config_in(tmp_path)`, with a (never used) token."""
    config = config_in(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_PATH", str(config.database_path))
    monkeypatch.setenv("STATE_DIR", str(config.state_dir))
    return config


async def test_a_deleted_data_folder_refuses_writes_and_the_next_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = config_in(tmp_path)
    async with offline_bot(config) as driver:
        first = only_reply(
            await driver.command("tally add", {"gift": "rose"}, user=ALICE, guild=GUILD)
        )
        assert not first.ephemeral
        shutil.rmtree(config.database_path.parent)  # the data folder, under the running bot
        with caplog.at_level(logging.ERROR):
            gone = await driver.command("tally add", {"gift": "lion"}, user=ALICE, guild=GUILD)
        assert "database file went missing, so nothing was saved" in refusal(gone)
        assert any("vanished or was replaced" in r.getMessage() for r in caplog.records)
        shown = await driver.command("tally show", {}, user=ALICE, guild=GUILD)
        assert not only_reply(shown).ephemeral  # reads still answer from the open file

    with pytest.raises(Exception, match="is gone"):
        await open_storage(config)
    assert not config.database_path.exists()  # no empty database was made in its place
    fresh = await open_storage(config, new_database=True)  # the owner's explicit choice
    await fresh.close()
    assert config.database_path.exists()


def test_the_command_line_says_the_database_is_gone(cli_env: BotConfig, capsys) -> None:
    config = cli_env

    async def first_run() -> None:
        storage = await open_storage(config)
        await storage.close()

    asyncio.run(first_run())
    shutil.rmtree(config.database_path.parent)
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert "is gone" in err and "--new-database" in err and "Traceback" not in err
    assert not config.database_path.exists()


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A database file that cannot be written, even by root (the immutable attribute)."""
    path = tmp_path / "data" / "bot.sqlite3"
    path.parent.mkdir()
    sqlite3.connect(path).close()
    if os.geteuid() != 0:
        path.chmod(0o444)
    elif subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("this machine cannot make a file read-only for root (chattr)")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        path.chmod(0o644)


def test_a_read_only_database_is_refused_at_start_by_name(
    read_only: Path, cli_env: BotConfig, capsys
) -> None:
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert f"{read_only} is read-only" in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["corrupt", "newer"])
@pytest.mark.slow  # child processes
def test_a_corrupt_or_newer_database_stops_every_action_without_a_traceback(
    tmp_path: Path, kind: str
) -> None:
    database = tmp_path / "console.sqlite3"
    if kind == "corrupt":
        database.write_bytes(b"this is not a database" * 100)
    else:
        run_sql(database, "PRAGMA user_version = 999")
    before = database.read_bytes()
    for args in (["ask", "/tally show"], ["run"]):
        env = child_env(
            DATABASE_PATH=str(database), CONSOLE_DATABASE_PATH=str(database), DISCORD_TOKEN=TOKEN
        )
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout, args
        expected = "not a database" if kind == "corrupt" else "newer tiktok-gift-bot"
        assert expected in result.stderr, (args, result.stderr)
    assert database.read_bytes() == before  # nothing was changed
    console = run_cli(tmp_path, "ask", "/gift value", env={"CONSOLE_DATABASE_PATH": str(database)})
    assert console.returncode == 2 and "Traceback" not in console.stderr
