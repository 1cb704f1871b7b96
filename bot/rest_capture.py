"""The bot's own REST calls, captured offline: channel posts, direct messages, role changes,
the published command list, and avatar pictures from Discord's CDN.

Interaction answers go through the webhook adapter (`bot.capture`); everything else the bot
does on its own (a weekly post, a role given, a DM to a manager) goes through
`bot.http.request`. `RestCapture` replaces that method and the CDN download on one bot, records
each call and answers as Discord would, or fails as Discord would where a test says so.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from discord.http import Route

from bot.capture import message_payload, read_file
from bot.fakes import APPLICATION_ID, FakeUser

if TYPE_CHECKING:
    from bot.client import GiftBot

DM_CHANNEL_BASE = 1_300_000_000_000_000_000


@dataclass
class RestCall:
    """One REST request: `path` with its ids filled in (`/channels/5/messages`)."""

    method: str
    path: str
    payload: dict[str, Any] | None
    files: list[tuple[str, bytes]] = field(default_factory=list)
    reason: str | None = None

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list((self.payload or {}).get("embeds") or [])


@dataclass(frozen=True)
class Failure:
    """Requests matching `method` and the `path` pattern fail with this status and code."""

    method: str
    path: re.Pattern[str]
    status: int
    code: int
    message: str


class _Response:
    """What discord.HTTPException reads from a response."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason


class RestCapture:
    """Records the bot's REST requests and answers them as Discord would."""

    def __init__(self, bot_user: FakeUser) -> None:
        self.calls: list[RestCall] = []
        self.failures: list[Failure] = []
        self.avatars: dict[str, bytes] = {}  # CDN path prefix -> picture bytes
        self.cdn_requests: list[str] = []
        self.commands: list[dict[str, Any]] = []  # what GET .../commands returns
        self._bot_user = bot_user
        self._ids = itertools.count(1_250_000_000_000_000_000)

    def install(self, bot: GiftBot) -> None:
        """Route `bot`'s REST requests and CDN downloads here."""
        bot.http.request = self.request  # type: ignore[method-assign,assignment]
        bot.http.get_from_cdn = self.get_from_cdn  # type: ignore[method-assign]

    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 403,
        code: int = 50013,
        message: str = "Missing Permissions",
    ) -> None:
        """Make requests matching `method` and the regex `path` fail (403 Missing Permissions,
        or e.g. 404 / 10003 Unknown Channel)."""
        self.failures.append(Failure(method, re.compile(path), status, code, message))

    def made(self, method: str, path: str = "") -> list[RestCall]:
        """The calls made with `method` whose path starts with `path`."""
        return [c for c in self.calls if c.method == method and c.path.startswith(path)]

    def publish(self, ids: dict[str, int]) -> None:
        """Answer the command list with these top-level command ids (as after a sync)."""
        self.commands = [
            {"id": str(command_id), "name": name, "type": 1, "application_id": str(APPLICATION_ID),
             "description": name, "version": "1", "default_member_permissions": None}
            for name, command_id in ids.items()
        ]  # fmt: skip

    async def request(
        self,
        route: Route,
        *,
        files: list[discord.File] | None = None,
        form: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> Any:
        path = route.url.removeprefix(Route.BASE)
        payload = kwargs.get("json")
        if form:
            payload = json.loads(form[0]["value"])
        captured = [(f.filename or "file", read_file(f)) for f in files or []]
        self.calls.append(RestCall(route.method, path, payload, captured, kwargs.get("reason")))
        for failure in self.failures:
            if failure.method == route.method and failure.path.search(path):
                error = {"code": failure.code, "message": failure.message}
                raise _error(failure.status)(_Response(failure.status, failure.message), error)
        return self._answer(route.method, path, payload or {})

    def _answer(self, method: str, path: str, payload: dict[str, Any]) -> Any:
        if method == "POST" and (found := re.fullmatch(r"/channels/(\d+)/messages", path)):
            message = message_payload(next(self._ids), payload, int(found[1]), self._bot_user)
            message["type"] = 0
            return message
        if method == "POST" and path == "/users/@me/channels":
            recipient = int(payload["recipient_id"])
            return {
                "id": str(DM_CHANNEL_BASE + recipient % 10**12),
                "type": 1,
                "last_message_id": None,
                "recipients": [FakeUser(recipient, "member").user_payload()],
            }
        if method == "GET" and re.fullmatch(r"/applications/\d+/commands", path):
            return list(self.commands)
        if method == "GET" and re.fullmatch(r"/applications/\d+/guilds/\d+/commands", path):
            return []
        return None  # role changes and other 204s

    async def get_from_cdn(self, url: str) -> bytes:
        self.cdn_requests.append(url)
        path = url.removeprefix("https://cdn.discordapp.com")
        for prefix, data in self.avatars.items():
            if path.startswith(prefix):
                return data
        raise discord.NotFound(_Response(404, "Not Found"), "asset not found")


def _error(status: int) -> type[discord.HTTPException]:
    if status == 403:
        return discord.Forbidden
    if status == 404:
        return discord.NotFound
    return discord.HTTPException
