"""Drive the bot with no Discord connection: Discord's own payloads in, HTTP calls captured.

`OfflineDiscord` feeds INTERACTION_CREATE payloads (shaped as Discord sends them) through
`ConnectionState.parse_interaction_create`, the same path the gateway uses, and replaces the
webhook adapter that answers interactions with one that records each request and returns what
Discord would. The console, the tests and the benchmark all use it.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.webhook.async_ import async_context

from bot.capture import EPHEMERAL, CapturedRequest, CapturingAdapter, render_embed
from bot.fakes import (
    ALL_PERMISSIONS,
    APPLICATION_ID,
    DEFAULT_CHANNEL_ID,
    DEFAULT_GUILD_ID,
    MEMBER_PERMISSIONS,
    FakeGuild,
    FakeUser,
)

if TYPE_CHECKING:
    from bot.client import GiftBot

__all__ = [
    "ALL_PERMISSIONS",
    "APPLICATION_ID",
    "DEFAULT_CHANNEL_ID",
    "DEFAULT_GUILD_ID",
    "EPHEMERAL",
    "MEMBER_PERMISSIONS",
    "CapturedRequest",
    "CapturingAdapter",
    "FakeGuild",
    "FakeUser",
    "OfflineDiscord",
    "render_embed",
]

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


class OfflineDiscord:
    """Feeds interactions to a bot that never connects, and returns what it sent back."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot
        self.bot_user = FakeUser(APPLICATION_ID, "tiktok-gift-bot", bot=True)
        self.adapter = CapturingAdapter(self.bot_user)
        self._sequence = itertools.count()

    async def start(self) -> None:
        """Do what `Client.login` does, minus the network: set the bot user, run setup_hook."""
        state = self.bot._connection
        await self.bot._async_setup_hook()
        state.user = discord.ClientUser(state=state, data=self.bot_user.user_payload())  # type: ignore[arg-type]
        state.application_id = APPLICATION_ID
        try:
            await self.bot.setup_hook()
        except BaseException:
            await self.bot.close()  # an opened database would keep the process alive
            raise

    async def close(self) -> None:
        await self.bot.close()

    async def __aenter__(self) -> OfflineDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- payloads -------------------------------------------------------------------------

    def command_payload(
        self,
        path: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: FakeUser,
        guild: FakeGuild | None = None,
        locale: str = "en-US",
        focused: str | None = None,
        members: Mapping[int, FakeUser] | None = None,
    ) -> dict[str, Any]:
        """An APPLICATION_COMMAND (or, with `focused`, AUTOCOMPLETE) INTERACTION_CREATE payload.

        `path` is the slash command as typed (`"gift value"`); option values are converted to
        the option's Discord type. A user option takes a `FakeUser`; it is resolved as a member
        when it is in `members` (the server's members), else as a plain user.
        """
        command = self.find_command(path)
        root = command.root_parent or command
        converted, resolved = self._options(command, options or {}, focused, guild, members)
        tree: list[dict[str, Any]] = converted
        if command.parent is not None:  # a subcommand, maybe inside a subcommand group
            tree = [{"type": SUB_COMMAND, "name": command.name, "options": tree}]
            if command.parent.parent is not None:
                tree = [{"type": SUB_COMMAND_GROUP, "name": command.parent.name, "options": tree}]
        data = {"id": str(_command_id(root)), "name": root.name, "type": 1, "options": tree}
        if resolved:
            data["resolved"] = resolved
        kind = 4 if focused else 2
        return self._interaction(kind, data, user=user, guild=guild, locale=locale)

    def component_payload(
        self,
        message_id: int | str,
        custom_id: str,
        *,
        user: FakeUser,
        guild: FakeGuild | None = None,
        locale: str = "en-US",
        component_type: int = 2,
    ) -> dict[str, Any]:
        """A MESSAGE_COMPONENT payload: `user` pressed `custom_id` on a message the bot sent."""
        data = {"custom_id": custom_id, "component_type": component_type}
        payload = self._interaction(3, data, user=user, guild=guild, locale=locale)
        payload["message"] = dict(self.adapter.message(message_id))
        self.adapter.component_messages[payload["token"]] = str(message_id)
        return payload

    def _interaction(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: FakeUser,
        guild: FakeGuild | None,
        locale: str,
    ) -> dict[str, Any]:
        interaction_id = self.new_snowflake()
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(APPLICATION_ID),
            "type": kind,
            "data": data,
            "token": f"offline-token-{interaction_id}",
            "version": 1,
            "locale": locale,
            "app_permissions": str(MEMBER_PERMISSIONS),
            "entitlements": [],
            "attachment_size_limit": 10_485_760,
        }
        if guild is not None:
            payload.update(
                guild_id=str(guild.id),
                guild=guild.payload(),
                guild_locale=guild.locale,
                channel_id=str(guild.channel_id),
                channel=_text_channel(guild),
                member=user.member_payload(),
                authorizing_integration_owners={"0": str(guild.id)},
                context=0,
            )
        else:
            channel_id = user.id + 1
            payload.update(
                user=user.user_payload(),
                channel_id=str(channel_id),
                channel={
                    "id": str(channel_id),
                    "type": 1,
                    "flags": 0,
                    "last_message_id": None,
                    "recipients": [user.user_payload()],
                },
                authorizing_integration_owners={"1": str(user.id)},
                context=1,
            )
        return payload

    def new_snowflake(self, at: datetime | None = None) -> int:
        """An id as Discord makes them: the creation time (now) in the high bits, so an
        interaction's age is real; the low bits keep ids unique."""
        moment = at or datetime.now(UTC)
        return discord.utils.time_snowflake(moment) + (next(self._sequence) & 0x3FFFFF)

    def find_command(self, path: str) -> app_commands.Command[Any, ..., Any]:
        names = path.strip().lstrip("/").split()
        found = self.bot.tree.get_command(names[0]) if names else None
        for name in names[1:]:
            if not isinstance(found, app_commands.Group):
                found = None
                break
            found = found.get_command(name)
        if not isinstance(found, app_commands.Command):
            raise LookupError(f"no slash command /{' '.join(names)}")
        return found

    def _options(
        self,
        command: app_commands.Command[Any, ..., Any],
        options: Mapping[str, Any],
        focused: str | None,
        guild: FakeGuild | None,
        members: Mapping[int, FakeUser] | None,
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        params = {p.name: p for p in command.parameters}
        converted: list[dict[str, Any]] = []
        resolved: dict[str, Any] = {}
        for name, value in options.items():
            param = params.get(name)
            kind = param.type if param else discord.AppCommandOptionType.string
            option: dict[str, Any] = {"name": name, "type": kind.value}
            if isinstance(value, FakeUser):
                option["value"] = str(value.id)
                _resolve_user(resolved, value, guild is not None and value.id in (members or {}))
            elif name == focused:
                option["value"] = str(value)
            else:
                option["value"] = _typed(kind, value)
            if name == focused:
                option["focused"] = True
            converted.append(option)
        return converted, resolved

    # -- sending --------------------------------------------------------------------------

    async def send(self, payload: dict[str, Any], *, settle: bool = True) -> list[CapturedRequest]:
        """Dispatch one INTERACTION_CREATE; wait for the bot to answer; return what it sent.

        With `settle`, also wait for what the bot adds to answers afterwards (`GiftBot.later`:
        the /gift value picture); without it, return once the handlers are done.

        The tasks discord.py starts for the event are caught by a task factory installed
        around the synchronous parse (O(1), however many interactions are in flight), and the
        requests are the ones made with this interaction's token.
        """
        async_context.set(self.adapter)
        loop = asyncio.get_running_loop()
        spawned: list[asyncio.Task[Any]] = []
        previous = loop.get_task_factory()

        def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kw: Any) -> asyncio.Task[Any]:
            task = asyncio.Task(coro, loop=loop, **kw)
            spawned.append(task)
            return task

        loop.set_task_factory(factory)
        try:
            self.bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
        finally:
            loop.set_task_factory(previous)
        if spawned:
            await asyncio.gather(*spawned)
        if settle:
            await self.bot.settle()
        return list(self.adapter.by_token.get(payload["token"], ()))

    async def command(
        self, path: str, options: Mapping[str, Any] | None = None, **kw: Any
    ) -> list[CapturedRequest]:
        """Run a slash command; returns the captured requests."""
        return await self.send(self.command_payload(path, options, **kw))

    async def autocomplete(
        self, path: str, option: str, typed: str, others: Mapping[str, Any] | None = None, **kw: Any
    ) -> list[dict[str, Any]]:
        """The choices the bot offers while `option` holds `typed`."""
        options = {**(others or {}), option: typed}
        replies = await self.send(self.command_payload(path, options, focused=option, **kw))
        return replies[-1].choices if replies else []

    async def press(self, message_id: int | str, button: str, **kw: Any) -> list[CapturedRequest]:
        """Press a button on a message the bot sent: `button` is its custom_id, or the custom_id
        without the view id views append (`pager:next` for `pager:next:3f9a...`)."""
        custom_id = self.button_id(message_id, button)
        return await self.send(self.component_payload(message_id, custom_id, **kw))

    def button_id(self, message_id: int | str, button: str) -> str:
        """The full custom_id of the button `button` names on a message (itself if none)."""
        rows = self.adapter.message(message_id).get("components") or []
        for row in rows:
            for item in row.get("components", []):
                found = str(item.get("custom_id") or "")
                if found.startswith(button):
                    return found
        return button


def _command_id(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> int:
    return 1_400_000_000_000_000_000 + (abs(hash(command.qualified_name)) % 10**12)


def _typed(kind: discord.AppCommandOptionType, value: Any) -> Any:
    if kind is discord.AppCommandOptionType.integer:
        return int(value)
    if kind is discord.AppCommandOptionType.number:
        return float(value)
    if kind is discord.AppCommandOptionType.boolean:
        return bool(value)
    return str(value)


def _resolve_user(resolved: dict[str, Any], user: FakeUser, is_member: bool) -> None:
    resolved.setdefault("users", {})[str(user.id)] = user.user_payload()
    if is_member:
        resolved.setdefault("members", {})[str(user.id)] = user.member_payload(with_user=False)


def _text_channel(guild: FakeGuild) -> dict[str, Any]:
    return {
        "id": str(guild.channel_id),
        "type": 0,
        "guild_id": str(guild.id),
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "flags": 0,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "topic": None,
    }
