"""/help: the commands by topic, picked from a menu; only those the reader can use here
(manager commands for managers, server commands in servers), sorted in the reader's language,
as clickable mentions once the commands are synced."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.command_ids import mention
from bot.context import Ask, ask_for
from bot.permissions import is_manager
from bot.render import notice
from bot.respond import reply, update
from bot.translator import localized_description, localized_path
from bot.tree import MANAGER, PRIVATE, is_server_only
from bot.views import CallerView
from commands._options import LOOKUP_CONTEXTS, LOOKUP_INSTALLS

TOPICS = ("lookups", "tallies", "community", "groups", "settings", "bot")
BY_ROOT = {
    "gift": "lookups",
    "coins": "lookups",
    "diamonds": "lookups",
    "payout": "lookups",
    "tally": "tallies",
    "group": "groups",
    "settings": "settings",
}
BY_GROUP = {"tally goal": "community", "tally posts": "community", "tally roles": "community"}
MENU_TOPIC = "tallies"
TIMEOUT_SECONDS = 300.0
SlashCommand = app_commands.Command[Any, ..., Any]


def topic_of(command: SlashCommand) -> str:
    """Where a command is listed (by its group, else by its top-level name)."""
    parent = command.parent
    if parent is not None and parent.qualified_name in BY_GROUP:
        return BY_GROUP[parent.qualified_name]
    root = command.root_parent or command
    return BY_ROOT.get(root.name, "bot")


def manager_only(command: SlashCommand) -> bool:
    """Marked for Manage Server, or in a group only managers see (e.g. /settings)."""
    root = command.root_parent or command
    defaults = root.default_permissions
    return bool(command.extras.get(MANAGER)) or (defaults is not None and defaults.manage_guild)


def collation_key(text: str) -> tuple[str, str]:
    """Alphabetical the way people read it: accents and case after the letters."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold(), text


@dataclass(frozen=True)
class Line:
    """One command as /help lists it."""

    topic: str
    path: str  # the English path, as mentions need it
    shown: str  # the path in the reader's language
    description: str


def lines_for(
    tree: app_commands.CommandTree[GiftBot], locale: str, *, in_server: bool, manager: bool
) -> list[Line]:
    """The commands this reader can use here, sorted by their names in `locale`."""
    found = []
    for command in tree.walk_commands():
        if not isinstance(command, app_commands.Command):
            continue
        if (not in_server and is_server_only(command)) or (manager_only(command) and not manager):
            continue
        found.append(
            Line(
                topic_of(command),
                command.qualified_name,
                localized_path(command, locale),
                localized_description(command, locale),
            )
        )
    return sorted(found, key=lambda line: collation_key(line.shown))


def topic_embed(
    ask: Ask, topic: str, lines: list[Line], ids: dict[str, int], menus: bool
) -> discord.Embed:
    """One topic's commands, one a line."""
    shown = [
        ask.t(
            "help.line",
            command=mention(line.path, ids, f"`/{line.shown}`"),
            description=line.description,
        )
        for line in lines
        if line.topic == topic
    ]
    if menus and topic == MENU_TOPIC:
        shown.append(ask.t("help.menu_line"))
    return notice(ask, ask.t(f"help.topic.{topic}"), "\n".join(shown) or ask.t("help.empty"))


def overview_embed(ask: Ask, counts: dict[str, int]) -> discord.Embed:
    """Every topic with what it is for and how many commands it has here."""
    rows = [
        ask.t(
            "help.overview_line",
            topic=ask.t(f"help.topic.{topic}"),
            about=ask.t(f"help.about.{topic}"),
            count=ask.number(count),
        )
        for topic, count in counts.items()
    ]
    return notice(ask, ask.t("help.title"), ask.t("help.pick") + "\n\n" + "\n".join(rows))


class TopicMenu(discord.ui.Select["HelpView"]):
    """The menu of topics."""

    async def callback(self, interaction: discord.Interaction[GiftBot]) -> None:  # type: ignore[override]
        if self.view is not None:
            await self.view.picked(interaction, self.values[0] if self.values else TOPICS[0])


class HelpView(CallerView):
    """A menu of topics; picking one shows its commands."""

    def __init__(
        self, ask: Ask, owner_id: int, lines: list[Line], ids: dict[str, int], menus: bool
    ) -> None:
        super().__init__(owner_id, timeout=TIMEOUT_SECONDS)
        self.ask, self.lines, self.ids, self.menus = ask, lines, ids, menus
        self.counts = {
            topic: sum(line.topic == topic for line in lines)
            for topic in TOPICS
            if any(line.topic == topic for line in lines)
        }
        self.topics = TopicMenu(
            custom_id=f"help:topic:{self.view_id}",
            placeholder=ask.t("help.placeholder"),
            options=[
                discord.SelectOption(
                    label=ask.t(f"help.topic.{topic}"),
                    value=topic,
                    description=ask.t(f"help.about.{topic}")[:100],
                )
                for topic in self.counts
            ],
        )
        self.add_item(self.topics)

    def overview(self) -> discord.Embed:
        return overview_embed(self.ask, self.counts)

    async def picked(self, interaction: discord.Interaction[GiftBot], topic: str) -> None:
        """Show `topic`'s commands, keeping the menu to pick another."""
        embed = topic_embed(self.ask, topic, self.lines, self.ids, self.menus)
        await update(interaction, embed=embed, view=self)  # also after a deferral


class Help(commands.Cog):
    """/help."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="Every command by topic", extras={PRIVATE: True})
    @LOOKUP_CONTEXTS
    @LOOKUP_INSTALLS
    async def help(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        in_server = interaction.guild_id is not None
        lines = lines_for(
            self.bot.tree, ask.locale, in_server=in_server, manager=is_manager(interaction)
        )
        ids = await self.bot.command_ids.ids(interaction.guild_id)
        view = HelpView(ask, interaction.user.id, lines, ids, menus=in_server)
        view.listen(interaction)
        await reply(interaction, embed=view.overview(), view=view, ephemeral=True)


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Help(bot))
