"""`python -m bot`: clear exits without a token, no traceback, the token never shown."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import discord
import pytest

import bot.cli as cli
from bot.cli import online
from bot.logs import setup_logging
from bot.offline import interaction_token
from tests.support.processes import run_cli

TOKEN = "MTEx.fake-token-for-tests.abcdefghijklmnop"


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    return tmp_path


def test_no_token_exits_2_with_instructions(tmp_path) -> None:
    result = run_cli(tmp_path)
    assert result.returncode == 2
    assert "No Discord token" in result.stderr and "make console" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_rejected_token_exits_2_without_traceback_or_token(env, monkeypatch, capsys) -> None:
    async def reject(self: Any, token: str) -> None:
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setattr(discord.http.HTTPClient, "static_login", reject)
    assert cli.main(["run"]) == 2
    out = capsys.readouterr()
    assert "rejected the token" in out.err
    assert TOKEN not in out.out + out.err and "Traceback" not in out.out + out.err


def test_logs_never_show_the_token(capsys) -> None:
    setup_logging("INFO", [TOKEN])
    logging.getLogger("test").info("connecting with %s", TOKEN)
    logging.getLogger("test").info("Authorization: Bot " + TOKEN)  # noqa: G003  (token in text)
    out = capsys.readouterr().out
    assert TOKEN not in out and out.count("[redacted]") == 2


def test_exception_text_and_interaction_tokens_are_masked_at_every_level(capsys) -> None:
    interaction = interaction_token(1_300_000_000_000_000_000)
    url = f"https://discord.com/api/v10/webhooks/1234/{interaction}/messages/@original"
    setup_logging("DEBUG", [TOKEN])
    log = logging.getLogger("test")
    try:
        raise RuntimeError(f"login failed for {TOKEN} while posting to {url}")
    except RuntimeError:
        log.exception("Unexpected error, reference ABC123")
    log.debug("PATCH %s with token %s", url, interaction)
    out = capsys.readouterr().out
    assert "Traceback" in out and "reference ABC123" in out  # the error itself is still logged
    assert TOKEN not in out and interaction not in out
    assert "webhooks/1234/[redacted]" in out


def test_sync_publishes_localized_commands_to_one_guild(env, monkeypatch, capsys) -> None:
    sent: dict[str, Any] = {}

    async def static_login(self: Any, token: str) -> dict[str, Any]:
        return {"id": "1", "username": "bot", "discriminator": "0", "avatar": None, "bot": True}

    async def application_info(self: Any) -> Any:
        return SimpleNamespace(
            id=2, interactions_endpoint_url=None, flags=discord.ApplicationFlags()
        )

    async def upsert(self: Any, application_id: int, guild_id: int, payload: list) -> list:
        sent.update(guild_id=guild_id, payload=payload)
        return [  # as Discord answers: an "Apps" menu comes back with an empty description
            {"description": "", **p, "id": str(10 + i), "application_id": "2", "version": "1"}
            for i, p in enumerate(payload)
        ]

    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setattr(discord.http.HTTPClient, "static_login", static_login)
    monkeypatch.setattr(discord.Client, "application_info", application_info)
    monkeypatch.setattr(discord.http.HTTPClient, "bulk_upsert_guild_commands", upsert)
    assert cli.main(["sync", "--guild", "123"]) == 0
    assert sent["guild_id"] == 123
    names = {p["name"] for p in sent["payload"]}
    assert {"gift", "coins", "diamonds", "payout", "help", "about"} <= names
    gift = next(p for p in sent["payload"] if p["name"] == "gift")
    assert gift["name_localizations"]["id"] == "hadiah"
    assert f"Synced {len(sent['payload'])} commands to server 123" in capsys.readouterr().out


def test_sync_goes_to_the_dev_guild_unless_global(env, monkeypatch) -> None:
    targets: list[int | None] = []

    async def fake_sync(settings: Any, guild_id: int | None) -> int:
        targets.append(guild_id)
        return 0

    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("DEV_GUILD_ID", "555")
    monkeypatch.setattr(online, "sync", fake_sync)
    assert cli.main(["sync"]) == 0
    assert cli.main(["sync", "--global"]) == 0
    assert cli.main(["sync", "--guild", "777"]) == 0
    assert targets == [555, None, 777]
