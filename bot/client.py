"""The bot: built around services opened in `main()`; `setup_hook` loads every cog."""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord.ext.commands import AutoShardedBot, Bot, when_mentioned

from bot.config import BotConfig
from bot.errors import reply_ephemeral
from bot.i18n import t
from bot.ratelimit import WriteLimiter
from bot.services import Services
from bot.translator import CatalogTranslator
from bot.tree import GiftTree
from economy.profiles import Profiles
from economy.storage import Storage

log = logging.getLogger(__name__)

VIEW_ID_SEPARATOR = ":"
PERSISTENT_PREFIX = "p:"  # custom_ids of buttons that work after a restart


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


class LiveViews:
    """The views whose buttons still answer, by the id their buttons' custom_ids end with."""

    def __init__(self) -> None:
        self._views: weakref.WeakValueDictionary[str, discord.ui.View] = (
            weakref.WeakValueDictionary()
        )

    def add(self, view_id: str, view: discord.ui.View) -> None:
        self._views[view_id] = view

    def answers(self, custom_id: str) -> bool:
        """Whether a button with `custom_id` belongs to a view that still listens."""
        _, _, view_id = custom_id.rpartition(VIEW_ID_SEPARATOR)
        view = self._views.get(view_id)
        return view is not None and not view.is_finished()


class GiftBot(Bot):
    """The Discord client; its services (storage, profiles, limits) are injected."""

    def __init__(self, config: BotConfig, services: Services, **options: Any) -> None:
        super().__init__(
            command_prefix=when_mentioned,
            intents=minimal_intents(),
            tree_cls=GiftTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.config = config
        self.services = services
        self.live_views = LiveViews()
        self.write_limiter = WriteLimiter()
        self._expired_replies: set[asyncio.Task[None]] = set()

    @property
    def storage(self) -> Storage:
        return self.services.storage

    @property
    def profiles(self) -> Profiles:
        return self.services.profiles

    async def setup_hook(self) -> None:
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
            if self.is_stale_component(interaction):
                self._expired_replies.add(task := asyncio.create_task(answer_expired(interaction)))
                task.add_done_callback(self._expired_replies.discard)

    def is_stale_component(self, interaction: discord.Interaction[GiftBot]) -> bool:
        """A press on one of our buttons whose view no longer listens (persistent buttons,
        `p:...`, are answered by their dynamic items whenever they are pressed)."""
        if interaction.type is not discord.InteractionType.component:
            return False
        data: Mapping[str, object] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if custom_id.startswith(PERSISTENT_PREFIX):
            return False
        return not self.live_views.answers(custom_id)


class ShardedGiftBot(GiftBot, AutoShardedBot):
    """The bot owning some shards of a bot split over processes (`run --shards`).

    Every cache of the bot (server profiles, the per-person write budget) is per server and a
    server's interactions always arrive on its own shard, so these caches stay right with
    any number of processes; see docs/architecture.md.
    """


def make_bot(
    config: BotConfig,
    services: Services,
    *,
    shard_count: int | None = None,
    shard_ids: Sequence[int] | None = None,
) -> GiftBot:
    """The bot: one process for every server, or (with a shard count) the shards given."""
    if shard_count is None:
        return GiftBot(config, services)
    return ShardedGiftBot(
        config, services, shard_count=shard_count, shard_ids=list(shard_ids or range(shard_count))
    )


async def answer_expired(interaction: discord.Interaction[GiftBot]) -> None:
    """Tell the presser the buttons expired, instead of Discord's "interaction failed"."""
    try:
        await reply_ephemeral(interaction, t(interaction.locale, "common.expired"))
    except discord.HTTPException:
        log.info("Could not answer an expired button press %s", interaction.id)
