"""The offline console: type slash commands, read the replies the bot would send to Discord.

The same handlers, database and error messages as the live bot; the interactions are built as
Discord builds them (`bot.offline`) and nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from discord.enums import AppCommandOptionType

from bot.client import GiftBot
from bot.config import BotConfig
from bot.console_input import Completer, setup_line_editing
from bot.offline import (
    ALL_PERMISSIONS,
    MEMBER_PERMISSIONS,
    CapturedRequest,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    OfflineDiscord,
    ServerLayout,
)
from bot.services import open_services

OPTION = re.compile(r"^([a-z0-9_-]+):(.*)$", re.DOTALL)
CONSOLE_GUILD = FakeGuild(id=1_100_000_000_000_000_777, locale="en-US")
_ROLE_IDS = iter(range(1_100_000_000_000_000_780, 1_100_000_000_000_000_800))
CONSOLE_BOT_ROLE = FakeRole(next(_ROLE_IDS), "tiktok-gift-bot", 10, ALL_PERMISSIONS)
CONSOLE_SERVER = ServerLayout(
    roles=(
        CONSOLE_BOT_ROLE,
        *(FakeRole(next(_ROLE_IDS), name, 9 - i) for i, name in enumerate(
            ("Top Gifter", "Top Receiver", "Whale", "Supporter")
        )),
    ),
    channels=(
        FakeChannel(CONSOLE_GUILD.channel_id, "general"),
        FakeChannel(CONSOLE_GUILD.channel_id + 1, "tally"),
    ),
    bot_roles=(CONSOLE_BOT_ROLE.id,),
)  # fmt: skip

HELP = """\
Type a slash command as in Discord, options as name:value:
  /gift value gift:galaxy count:2        /coins amount:1000 store:web
  /tally add gift:"sports car" member:@alice
  /tally posts set period:weekly channel:#tally
  /tally roles threshold role:@Whale diamonds:10000
Tab completes commands, options and their values; Up and Down go through past lines.
Console commands:
  :as NAME [member|manager]   act as another person (default: tester, a manager)
  :dm | :server               ask in a direct message or in the console server
  :locale CODE                reply language, e.g. :locale id, :locale pt-BR
  :complete /gift value gift:gal   show the autocomplete choices
  :press N                    press button N (or pick option N) of the last reply
  :quit                       leave (Ctrl-D works too)
"""


class ConsoleInputError(ValueError):
    """A line the console cannot turn into a slash command."""


def parse_command(line: str) -> tuple[str, dict[str, str]]:
    """`/gift value gift:sports car count:2` -> (`gift value`, {gift: sports car, count: 2})."""
    try:
        tokens = shlex.split(line.strip().lstrip("/"))
    except ValueError as error:
        raise ConsoleInputError(f"Could not read that line: {error}.") from error
    words: list[str] = []
    options: dict[str, str] = {}
    current: str | None = None
    for token in tokens:
        match = OPTION.match(token)
        if match:
            current = match.group(1)
            options[current] = match.group(2)
        elif current is None:
            words.append(token)
        else:
            options[current] = f"{options[current]} {token}".strip()
    if not words:
        raise ConsoleInputError("Type a command such as /help.")
    return " ".join(words), options


# Who types at the console unless told otherwise (answers name them: "tester's tally").
DEFAULT_PERSON = "tester"


def user_named(name: str, *, manager: bool = False) -> FakeUser:
    """A stable fake user for a name, so tallies persist across console sessions."""
    clean = name.strip().lstrip("@").casefold() or DEFAULT_PERSON
    user_id = 1_500_000_000_000_000_000 + zlib.crc32(clean.encode())
    permissions = ALL_PERMISSIONS if manager else MEMBER_PERMISSIONS
    return FakeUser(user_id, clean, permissions=permissions)


@dataclass
class ConsoleSession:
    """Who is typing, where, in which language; and the last reply's buttons."""

    discord: OfflineDiscord
    user: FakeUser = field(default_factory=lambda: user_named(DEFAULT_PERSON, manager=True))
    in_dm: bool = False
    locale: str = "en-US"
    members: dict[int, FakeUser] = field(default_factory=dict)
    last_buttons: list[Control] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.members[self.user.id] = self.user
        self.discord.cache_server(CONSOLE_GUILD, CONSOLE_SERVER)  # its roles and channels

    async def handle(self, line: str) -> str:
        """One line in, the text of the replies out."""
        line = line.strip()
        if not line:
            return ""
        if line.startswith(":"):
            return await self._meta(line[1:])
        try:
            path, raw = parse_command(line)
            options = self._options(path, raw)
            replies = await self.discord.command(path, options, **self._where())
        except (ConsoleInputError, LookupError) as error:
            return str(error).strip("'\"")
        return self._render(replies)

    def _where(self) -> dict[str, Any]:
        guild = None if self.in_dm else CONSOLE_GUILD
        return {"user": self.user, "guild": guild, "locale": self.locale, "members": self.members}

    def _options(self, path: str, raw: dict[str, str]) -> dict[str, Any]:
        command = self.discord.find_command(path)
        params = {p.name: p for p in command.parameters}
        options: dict[str, Any] = {}
        for name, value in raw.items():
            param = params.get(name)
            if param is None:
                known = ", ".join(params) or "none"
                raise ConsoleInputError(f"/{path} has no option {name!r} (options: {known}).")
            options[name] = self._typed(param.type, name, value)
        return options

    def _typed(self, kind: AppCommandOptionType, name: str, value: str) -> Any:
        """Check types as Discord's own client does before it sends anything."""
        if kind is AppCommandOptionType.user:
            member = user_named(value)
            self.members.setdefault(member.id, member)
            return self.members[member.id]
        if kind is AppCommandOptionType.role:
            return _named(CONSOLE_SERVER.roles, value.lstrip("@"), "role")
        if kind is AppCommandOptionType.channel:
            return _named(CONSOLE_SERVER.channels, value.lstrip("#"), "channel")
        if kind is AppCommandOptionType.integer:
            if not re.fullmatch(r"-?\d+", value.replace(",", "").replace("_", "")):
                raise ConsoleInputError(f"{name} must be a whole number.")
            return int(value.replace(",", "").replace("_", ""))
        if kind is AppCommandOptionType.number:
            try:
                return float(value.replace(",", ""))
            except ValueError as error:
                raise ConsoleInputError(f"{name} must be a number.") from error
        if kind is AppCommandOptionType.boolean:
            return value.strip().lower() in {"true", "yes", "1", "on"}
        return value

    async def _meta(self, line: str) -> str:
        verb, _, rest = line.partition(" ")
        rest = rest.strip()
        if verb in {"help", "h"}:
            return HELP
        if verb == "as":
            name, _, role = rest.partition(" ")
            self.user = user_named(name or DEFAULT_PERSON, manager=role.strip() != "member")
            self.members[self.user.id] = self.user
            kind = "a member" if role.strip() == "member" else "a manager"
            return f"Now acting as {self.user.name} ({kind})."
        if verb == "dm":
            self.in_dm = True
            return "Now asking in a direct message."
        if verb == "server":
            self.in_dm = False
            return "Now asking in the console server."
        if verb == "locale":
            self.locale = rest or "en-US"
            return f"Replies now use locale {self.locale}."
        if verb == "complete":
            return await self._complete(rest)
        if verb == "press":
            return await self._press(rest)
        return f"Unknown console command :{verb}. Type :help."

    async def choices(self, line: str) -> list[dict[str, Any]]:
        """The autocomplete choices the bot offers for the last option of `line`."""
        path, raw = parse_command(line)
        if not raw:
            raise ConsoleInputError(
                "Name the option to complete, e.g. :complete /gift value gift:gal"
            )
        option = list(raw)[-1]
        others = self._options(path, {k: v for k, v in raw.items() if k != option})
        return await self.discord.autocomplete(path, option, raw[option], others, **self._where())

    async def _complete(self, line: str) -> str:
        try:
            choices = await self.choices(line)
        except (ConsoleInputError, LookupError) as error:
            return str(error).strip("'\"")
        return "\n".join(f"  {c['name']}" for c in choices) or "(no choices)"

    async def _press(self, which: str) -> str:
        if not self.last_buttons:
            return "The last reply has no buttons."
        try:
            control = self.last_buttons[int(which or "1") - 1]
        except (ValueError, IndexError):
            return f"Press a button from 1 to {len(self.last_buttons)}."
        where = self._where()
        where.pop("members")
        if control.value is None:
            replies = await self.discord.press(control.message_id, control.custom_id, **where)
        else:
            replies = await self.discord.choose(
                control.message_id, control.custom_id, [control.value], **where
            )
        return self._render(replies)

    def _render(self, replies: list[CapturedRequest]) -> str:
        blocks: list[str] = []
        for reply in replies:
            if reply.callback_type in (5, 6) or reply.method in {"GET", "DELETE"}:
                continue
            pictures = [name for name, _ in reply.files if name.endswith(".png")]
            if reply.method == "PATCH" and pictures:  # a picture added to the answer above
                blocks.append("\n".join(f"[picture {name}]" for name in pictures))
                continue
            lines = [reply.text()]
            lines += [f"[attachment {name}, {len(data)} bytes]" for name, data in reply.files]
            if reply.components:
                self.last_buttons = _buttons(reply)
                if self.last_buttons:
                    labels = "  ".join(
                        f"[{i}: {b.label}]" for i, b in enumerate(self.last_buttons, 1)
                    )
                    lines.append(f"{labels}  (:press N)")
            if reply.ephemeral:
                lines.append("(only you can see this)")
            blocks.append("\n".join(line for line in lines if line))
        return "\n\n".join(block for block in blocks if block) or "(no reply)"


def _named(found: tuple[Any, ...], name: str, what: str) -> Any:
    """The console server's role or channel called `name` (any case)."""
    for item in found:
        if item.name.casefold() == name.strip().casefold():
            return item
    known = ", ".join(item.name for item in found)
    raise ConsoleInputError(f"The console server has no {what} {name!r} ({what}s: {known}).")


@dataclass(frozen=True)
class Control:
    """A button of a reply, or one option of its select menu (`value`), for :press."""

    message_id: str
    custom_id: str
    label: str
    value: str | None = None


def _buttons(reply: CapturedRequest) -> list[Control]:
    """Every enabled button and select option of a reply."""
    found = []
    for row in reply.components:
        for item in row.get("components", []):
            if not item.get("custom_id") or item.get("disabled"):
                continue
            where = (reply.message_id or "", item["custom_id"])
            if item.get("type") == 2:
                found.append(Control(*where, item.get("label") or "button"))
            elif item.get("type") == 3:
                found += [Control(*where, o["label"], o["value"]) for o in item["options"]]
    return found


async def run_console(config: BotConfig, one_shot: str | None = None) -> int:
    """The prompt (or one answer with `one_shot`) on `config`'s database: the console's own
    file, unless asked for another (see `python -m bot console --help`)."""
    async with (
        open_services(config) as services,
        OfflineDiscord(GiftBot(config, services)) as offline,
    ):
        session = ConsoleSession(offline)
        if one_shot is not None:
            print(await session.handle(one_shot))
            return 0
        print(f"tiktok-gift-bot offline console on {config.database_path}.")
        print("Type /help for commands, :help for the console; Tab completes.")
        save_history: Callable[[], None] | None = None
        if sys.stdin.isatty():
            completer = Completer(offline.bot.tree, session.choices, asyncio.get_running_loop())
            save_history = setup_line_editing(completer, history_file(config.database_path))
        try:
            return await prompt(session)
        finally:
            if save_history is not None:
                save_history()


def history_file(database: Path) -> Path:
    """The console's line history, kept beside its database."""
    return database.with_name(f"{database.stem}.history")


async def prompt(session: ConsoleSession) -> int:
    """Read lines until :quit or the end of input."""
    while True:
        try:
            line = await asyncio.to_thread(input, "> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip() in {":quit", ":q", ":exit"}:
            return 0
        output = await session.handle(line)
        if output:
            print(output)
