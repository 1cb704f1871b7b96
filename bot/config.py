"""The bot's runtime configuration, read from the environment and `.env` by `main()`.

("Settings" means a server's own figures and switches: see `economy.guild_settings`.)
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.known_databases import default_state_dir
from economy.storage.urls import is_postgres_url, passwords, redact


class BotConfig(BaseSettings):
    """Everything the bot needs to start. Built in `main()`, never at import."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = Field(
        default=None, description="The bot token from the Discord developer portal."
    )
    database_path: Path = Field(
        default=Path("data/tiktok-gift-bot.sqlite3"), description="SQLite file for tallies."
    )
    console_database_path: Path = Field(
        default=Path("data/console.sqlite3"),
        description="The offline console's own SQLite file (never the bot's, unless asked).",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="postgresql://user:password@host/dbname: use PostgreSQL instead of the "
        "SQLite file (needed to run several bot processes). Secret: never logged.",
    )
    dev_guild_id: int | None = Field(
        default=None, description="A test server to sync commands to instantly."
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    state_dir: Path = Field(
        default_factory=default_state_dir,
        description="Where the bot remembers which databases it created (not the data folder).",
    )

    @field_validator("discord_token", "database_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """An empty `DISCORD_TOKEN=` (or `DATABASE_URL=`) line means none, not an empty one."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not is_postgres_url(value.get_secret_value()):
            raise ValueError("DATABASE_URL must start with postgresql:// (or postgres://)")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("log_level must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    def database_url_value(self) -> str | None:
        """The raw PostgreSQL URL, for opening the pool only. Never log it (see `database`)."""
        return self.database_url.get_secret_value() if self.database_url else None

    @property
    def database(self) -> str:
        """What the bot stores in, safe to show: the URL without its password, or the file."""
        url = self.database_url_value()
        return redact(url) if url else str(self.database_path)

    def secrets(self) -> list[str]:
        """Everything the logs must mask: the token and the database password."""
        url = self.database_url_value()
        return [self.token() or "", url or "", *(passwords(url) if url else [])]

    def token(self) -> str | None:
        """The raw token, for `Client.start` only. Never log it."""
        return self.discord_token.get_secret_value() if self.discord_token else None
