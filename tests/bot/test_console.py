"""The offline console: the same handlers and messages as the bot, typed as slash commands,
with Tab completion and history, on its own database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.console import ConsoleInputError, ConsoleSession, history_file, parse_command
from bot.console_input import Completer, setup_line_editing
from tests.support.bots import offline_bot
from tests.support.processes import REPO, run_cli


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
    assert (await session.handle("/tally show style:text")).startswith("== Tester's tally ==")


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
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```\n> ", 1)[1].split("\n```", 1)[0]
    command, expected = block.split("\n", 1)
    assert await session.handle(command) == expected


# -- line editing: Tab completion from the bot's own autocomplete, history ---------------------


@pytest.fixture
async def completer(session: ConsoleSession) -> Completer:
    return Completer(session.discord.bot.tree, session.choices, asyncio.get_running_loop())


async def complete(completer: Completer, line: str) -> list[str]:
    """As readline asks: from the thread that reads the line, the loop free meanwhile."""
    return await asyncio.to_thread(completer.candidates, line)


async def test_tab_completes_commands_options_and_choices(completer: Completer) -> None:
    assert await complete(completer, "/gi") == ["/gift "]
    assert await complete(completer, "/gift v") == ["value "]
    assert await complete(completer, "/tally goal ") == ["clear ", "set "]
    assert await complete(completer, "/gift value c") == ["count:"]
    assert await complete(completer, "/gift value gift:galaxy s") == ["store:"]
    assert await complete(completer, "/gift value store:") == ["store:app", "store:web"]
    assert await complete(completer, ":lo") == [":locale "]
    assert await complete(completer, "/nope ") == []


async def test_tab_completes_values_with_the_bots_autocomplete(completer: Completer) -> None:
    assert "gift:Galaxy" in await complete(completer, "/gift value gift:gala")
    completed = await complete(completer, "/tally add gift:sports")
    assert "gift:'Sports Car'" in completed
    assert parse_command(f"/tally add {completed[0]}") == ("tally add", {"gift": "Sports Car"})


def test_history_is_kept_between_sessions(tmp_path: Path) -> None:
    readline = pytest.importorskip("readline")
    history = tmp_path / "console.history"
    readline.clear_history()
    save = setup_line_editing(Completer(None, None, None), history)  # type: ignore[arg-type]
    readline.add_history("/coins amount:1000")
    save()
    assert history.read_text(encoding="utf-8").strip().endswith("/coins amount:1000")
    readline.clear_history()
    setup_line_editing(Completer(None, None, None), history)  # type: ignore[arg-type]
    assert readline.get_history_item(readline.get_current_history_length()) == (
        "/coins amount:1000"
    )
    assert history_file(tmp_path / "console.sqlite3") == tmp_path / "console.history"


async def test_select_menus_are_picked_like_buttons(session: ConsoleSession) -> None:
    menu = await session.handle("/help")
    assert "[1: Gifts, coins and payouts]" in menu
    assert "/coins" in await session.handle(":press 1")


async def test_the_console_server_has_roles_and_channels(session: ConsoleSession) -> None:
    posts = await session.handle("/tally posts set period:weekly channel:#tally")
    assert "== Leaderboard posts on ==" in posts
    role = await session.handle("/tally roles threshold role:@whale diamonds:10000")
    assert "once they have received 10,000 diamonds" in role
    assert "no channel 'nope' (channels: general, tally)" in await session.handle(
        "/tally posts set period:weekly channel:#nope"
    )


# -- its own database ------------------------------------------------------------------------


def test_the_console_never_opens_the_bots_database_unless_asked(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"  # the bot's DATABASE_PATH, in run_cli's environment
    result = run_cli(tmp_path, "ask", "/tally add gift:rose", env={"DATABASE_PATH": str(live)})
    assert result.returncode == 0, result.stderr
    assert "Tally updated" in result.stdout
    assert not live.exists()
    assert (tmp_path / "data" / "console.sqlite3").exists()
    chosen = tmp_path / "elsewhere.sqlite3"
    asked = run_cli(tmp_path, "ask", "/tally show", "--database", str(chosen))
    assert asked.returncode == 0, asked.stderr
    assert chosen.exists() and not live.exists()
    by_env = run_cli(
        tmp_path, "ask", "/tally show", env={"CONSOLE_DATABASE_PATH": str(tmp_path / "env.db")}
    )
    assert by_env.returncode == 0 and (tmp_path / "env.db").exists()
