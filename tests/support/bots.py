"""Building the bot's runtime settings for a test: a temporary database, no token, no .env."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        discord_token=None,
        database_path=tmp_path / "bot.sqlite3",
        _env_file=None,  # type: ignore[call-arg]
    )
