"""The offline console: the same handlers and messages as the bot, typed as slash commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console import ConsoleInputError, ConsoleSession, parse_command
from tests.support.bots import offline_bot
from tests.support.processes import run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_parse_command_reads_options_with_spaces_and_quotes() -> None:
    assert parse_command("/gift value gift:sports car count:2") == (
        "gift value",
        {"gift": "sports car", "count": "2"},
    )
    assert parse_command('/tally add gift:"leon & lion"') == ("tally add", {"gift": "leon & lion"})
    with pytest.raises(ConsoleInputError):
        parse_command('/gift value gift:"unclosed')
    with pytest.raises(ConsoleInputError):
        parse_command("   ")


@pytest.fixture
async def session(config):
    async with offline_bot(config) as offline:
        yield ConsoleSession(offline)


async def test_console_answers_like_the_bot(session: ConsoleSession) -> None:
    text = await session.handle("/gift value gift:galaxy")
    assert "== Galaxy × 1 ==" in text
    assert "Creator's gross: $5.00" in text and "Creator's net: $5.00" in text


async def test_console_bad_input_gets_the_bots_messages(session: ConsoleSession) -> None:
    assert "whole number" in await session.handle("/gift value gift:galaxy count:two")
    unknown = await session.handle("/gift value gift:qqqzzz")
    assert "Did you mean" in unknown and "(only you can see this)" in unknown
    assert "no slash command /nope" in await session.handle("/nope")
    assert "no option 'colour'" in await session.handle("/coins amount:5 colour:red")


async def test_console_pages_and_completes(session: ConsoleSession) -> None:
    first = await session.handle("/gift list")
    assert "[1: Next]" in first
    second = await session.handle(":press 1")
    assert "Page 2 of" in second
    assert "Galaxy" in await session.handle(":complete /gift value gift:gala")


async def test_console_speaks_the_chosen_language(session: ConsoleSession) -> None:
    await session.handle(":locale pt-BR")
    await session.handle(":dm")
    text = await session.handle("/diamonds amount:1000")
    assert "Você recebe" in text and "R$" in text


def test_ask_prints_one_reply_and_exits(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "ask", "/diamonds amount:20000")
    assert result.returncode == 0, result.stderr
    assert "== 20,000 diamonds ==" in result.stdout and "can cash out" in result.stdout
    assert "Traceback" not in result.stderr


def test_console_prompt_reads_lines_until_quit(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "console", stdin="/coins amount:1000\n:quit\n")
    assert result.returncode == 0, result.stderr
    assert "Buying 1,000 coins" in result.stdout


async def test_readme_console_example_is_what_the_console_prints(session) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```\n> ", 1)[1].split("\n```", 1)[0]
    command, expected = block.split("\n", 1)
    assert await session.handle(command) == expected
