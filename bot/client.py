"""The bot: built without connecting; `setup_hook` opens the database and loads every cog."""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil

import discord
from discord.ext.commands import Bot, when_mentioned

from bot.i18n import t
from bot.ratelimit import WriteLimiter
from bot.settings import Settings
from bot.translator import CatalogTranslator
from bot.tree import GiftTree, reply_ephemeral
from economy.catalog import default_catalog
from economy.profiles import Profiles
from economy.rates import default_presets
from economy.storage import SqliteStorage, Storage

log = logging.getLogger(__name__)


def extension_names() -> list[str]:
    """Every cog module in `commands/` (private helpers start with `_`)."""
    package = importlib.import_module("commands")
    return sorted(
        f"commands.{module.name}"
        for module in pkgutil.iter_modules(package.__path__)
        if not module.name.startswith("_")
    )


def minimal_intents() -> discord.Intents:
    """Slash commands need no privileged intent and no message content."""
    return discord.Intents(guilds=True)


# The bot never joins voice: the "voice will NOT be supported" warnings are noise here.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class GiftBot(Bot):
    """Holds the shared services the cogs use: storage and per-server profiles."""

    def __init__(self, settings: Settings, *, storage: Storage | None = None) -> None:
        super().__init__(
            command_prefix=when_mentioned,
            intents=minimal_intents(),
            tree_cls=GiftTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.settings = settings
        self._storage = storage
        self._owns_storage = storage is None
        self.profiles: Profiles | None = None
        self.write_limiter = WriteLimiter()
        self._expired_replies: set[asyncio.Task[None]] = set()

    @property
    def storage(self) -> Storage:
        if self._storage is None:
            raise RuntimeError("the database is opened in setup_hook")
        return self._storage

    async def setup_hook(self) -> None:
        if self._storage is None:
            self._storage = await SqliteStorage.open(self.settings.database_path)
        self.profiles = Profiles(self._storage, default_catalog(), default_presets())
        await self.tree.set_translator(CatalogTranslator())
        for name in extension_names():
            await self.load_extension(name)
        log.info("Loaded %d command modules", len(extension_names()))

    def dispatch(self, event_name: str, /, *args: object, **kwargs: object) -> None:
        """Also answer presses on buttons no view listens to (expired, or from before a
        restart), decided at dispatch time, before any view callback can run."""
        super().dispatch(event_name, *args, **kwargs)
        if event_name == "interaction" and isinstance(args[0], discord.Interaction):
            interaction = args[0]
            if is_stale_component(self, interaction):
                self._expired_replies.add(task := asyncio.create_task(answer_expired(interaction)))
                task.add_done_callback(self._expired_replies.discard)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self._storage is not None and self._owns_storage:
                await self._storage.close()
                self._storage = None
                log.info("Database closed")


def is_stale_component(bot: Bot, interaction: discord.Interaction) -> bool:
    """A button press on a message no live view is attached to."""
    message = interaction.message
    return (
        interaction.type is discord.InteractionType.component
        and message is not None
        and not bot._connection._view_store.is_message_tracked(message.id)
    )


async def answer_expired(interaction: discord.Interaction) -> None:
    """Tell the presser the buttons expired, instead of Discord's "interaction failed"."""
    try:
        await reply_ephemeral(interaction, t(interaction.locale, "common.expired"))
    except discord.HTTPException:
        log.info("Could not answer an expired button press %s", interaction.id)


def create_bot(settings: Settings, *, storage: Storage | None = None) -> GiftBot:
    """Build the bot without connecting to Discord."""
    return GiftBot(settings, storage=storage)
