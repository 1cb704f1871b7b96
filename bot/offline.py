"""Drive the bot with no Discord connection: Discord's own payloads in, HTTP calls captured.

`OfflineDiscord` feeds INTERACTION_CREATE payloads (shaped as Discord sends them) through
`ConnectionState.parse_interaction_create`, the same path the gateway uses, and replaces the
webhook adapter that answers interactions with one that records each request and returns what
Discord would. The console, the tests and the benchmark all use it.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import secrets
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
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    ServerLayout,
    channel_payload,
)
from bot.rest_capture import RestCall, RestCapture

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
    "FakeChannel",
    "FakeGuild",
    "FakeRole",
    "FakeUser",
    "OfflineDiscord",
    "RestCall",
    "RestCapture",
    "ServerLayout",
    "render_embed",
]

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


def interaction_token(interaction_id: int) -> str:
    """A token of the shape Discord sends (base64 of ``interaction:<id>:<secret>``), so the
    log redaction is tested against the real shape."""
    raw = f"interaction:{interaction_id}:{secrets.token_urlsafe(48)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class OfflineDiscord:
    """Feeds interactions to a bot that never connects, and returns what it sent back."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot
        self.bot_user = FakeUser(APPLICATION_ID, "tiktok-gift-bot", bot=True)
        self.adapter = CapturingAdapter(self.bot_user)
        self.rest = RestCapture(self.bot_user)
        self._sequence = itertools.count()

    async def start(self) -> None:
        """Do what `Client.login` does, minus the network: set the bot user, run setup_hook."""
        state = self.bot._connection
        self.rest.install(self.bot)
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

    def cache_server(self, guild: FakeGuild, layout: ServerLayout) -> None:
        """Tell the bot about a server as GUILD_CREATE does (the guilds intent): its roles,
        channels and the bot's own roles, through the gateway's own parser."""
        payload = layout.payload(guild, self.bot_user)
        self.bot._connection.parse_guild_create(payload)

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
        user_install: bool = False,
    ) -> dict[str, Any]:
        """An APPLICATION_COMMAND (or, with `focused`, AUTOCOMPLETE) INTERACTION_CREATE payload.

        `user_install`: sent through the user's own install of the app from a server the bot
        is not in (Discord then names only the user as the authorizing owner).

        `path` is the slash command as typed (`"gift value"`); option values are converted to
        the option's Discord type. A user option takes a `FakeUser`; it is resolved as a member
        when it is in `members` (the server's members), else as a plain user. A role option
        takes a `FakeRole`, a channel option a `FakeChannel`.
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
        payload = self._interaction(kind, data, user=user, guild=guild, locale=locale)
        if user_install:
            payload["authorizing_integration_owners"] = {"1": str(user.id)}
        return payload

    def component_payload(
        self,
        message_id: int | str,
        custom_id: str,
        *,
        user: FakeUser,
        guild: FakeGuild | None = None,
        locale: str = "en-US",
        component_type: int = 2,
        values: list[str] | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_COMPONENT payload: `user` pressed `custom_id` on a message the bot sent
        (or, with `values`, picked them in the select menu `custom_id`)."""
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
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
            "token": interaction_token(interaction_id),
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

    def menu_payload(
        self,
        name: str,
        target: FakeUser,
        *,
        user: FakeUser,
        guild: FakeGuild | None = None,
        locale: str = "en-US",
        members: Mapping[int, FakeUser] | None = None,
    ) -> dict[str, Any]:
        """A user context menu ("Apps > `name`" on `target`) as Discord sends it."""
        menu = self.bot.tree.get_command(name, type=discord.AppCommandType.user)
        if menu is None:
            raise LookupError(f"no user menu {name!r}")
        resolved: dict[str, Any] = {}
        _resolve_user(resolved, target, guild is not None and target.id in (members or {}))
        data = {
            "id": str(_command_id(menu)),
            "name": name,
            "type": 2,
            "target_id": str(target.id),
            "resolved": resolved,
        }
        return self._interaction(2, data, user=user, guild=guild, locale=locale)

    async def menu(self, name: str, target: FakeUser, **kw: Any) -> list[CapturedRequest]:
        """Run a user context menu on `target`; returns the captured requests."""
        return await self.send(self.menu_payload(name, target, **kw))

    async def submit(
        self, modal: CapturedRequest, values: Mapping[str, str], **kw: Any
    ) -> list[CapturedRequest]:
        """Fill in and submit a modal the bot opened (`values` by text input custom_id)."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in values.items()
        ]
        data = {"custom_id": modal.data["custom_id"], "components": rows}
        where = {"guild": None, "locale": "en-US", **kw}
        return await self.send(self._interaction(5, data, **where))

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
            elif isinstance(value, FakeRole):
                option["value"] = str(value.id)
                resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            elif isinstance(value, FakeChannel):
                option["value"] = str(value.id)
                channel = {"id": str(value.id), "name": value.name, "type": 0}
                resolved.setdefault("channels", {})[str(value.id)] = {
                    **channel,
                    "permissions": str(ALL_PERMISSIONS),
                }
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

    async def choose(
        self, message_id: int | str, select: str, values: list[str], **kw: Any
    ) -> list[CapturedRequest]:
        """Pick `values` in a select menu of a message (`select`: its custom_id's start)."""
        custom_id = self.button_id(message_id, select)
        payload = self.component_payload(
            message_id, custom_id, component_type=3, values=values, **kw
        )
        return await self.send(payload)

    def button_id(self, message_id: int | str, button: str) -> str:
        """The full custom_id of the button `button` names on a message (itself if none)."""
        rows = self.adapter.message(message_id).get("components") or []
        for row in rows:
            for item in row.get("components", []):
                found = str(item.get("custom_id") or "")
                if found.startswith(button):
                    return found
        return button


def _command_id(
    command: app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu,
) -> int:
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
    return channel_payload(guild, FakeChannel(guild.channel_id))
