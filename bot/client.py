"""The bot: built around services opened in `main()`; `setup_hook` loads every cog."""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import pkgutil
import weakref
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any

import discord
from discord.ext.commands import AutoShardedBot, Bot, when_mentioned

from bot.avatar_fetch import AvatarFetcher
from bot.cards import CardWorkerError, warm_up
from bot.command_ids import CommandIds
from bot.config import BotConfig
from bot.errors import reply_ephemeral
from bot.i18n import t
from bot.ratelimit import Limiter, WriteLimiter, autocomplete_limiter, command_limiter
from bot.services import Services
from bot.translator import CatalogTranslator
from bot.tree import GiftTree
from economy.profiles import Profiles
from economy.purchase import prepare_stores
from economy.storage import Storage

log = logging.getLogger(__name__)

VIEW_ID_SEPARATOR = ":"
PERSISTENT_PREFIX = "p:"  # custom_ids of buttons that work after a restart
SETTLE_TIMEOUT = 15.0  # seconds `close` waits for work that finishes an answer later


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

    def __init__(
        self, config: BotConfig, services: Services, *, freeze_heap: bool = False, **options: Any
    ) -> None:
        """`freeze_heap`: after start-up, move everything loaded so far out of the garbage
        collector's sight (`gc.freeze`), so a full collection no longer scans the catalog,
        the commands and the locales: it paused the event loop for about 100 ms during long
        exports. For the one bot of a process (tests build many, so they leave it off)."""
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
        self.write_limiter: Limiter = WriteLimiter()
        self.command_limiter = command_limiter()
        self.autocomplete_limiter = autocomplete_limiter()
        self.freeze_heap = freeze_heap
        self.avatars = AvatarFetcher(lambda url: self.http.get_from_cdn(url))
        synced_to = frozenset({config.dev_guild_id} if config.dev_guild_id else ())
        self.command_ids = CommandIds(
            lambda guild: self.tree.fetch_commands(guild=guild), own_commands_in=synced_to
        )
        self._expired_replies: set[asyncio.Task[None]] = set()
        self._cards_started = False
        self._later: set[asyncio.Task[Any]] = set()

    def later(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run `work` after the handler returns (e.g. adding a picture to an answer already
        sent), keeping it referenced until done; `settle()` waits for all of it."""
        task = asyncio.create_task(work)
        self._later.add(task)
        task.add_done_callback(self._later.discard)
        return task

    @property
    def pending_later(self) -> int:
        """How many `later` tasks are still running."""
        return len(self._later)

    async def settle(self, within: float | None = None) -> None:
        """Wait until every `later` task is done (or `within` seconds, then cancel them)."""
        while self._later:
            _, pending = await asyncio.wait(set(self._later), timeout=within)
            if pending:
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                return

    async def close(self) -> None:
        """Let answers in progress finish adding what they add later, then close."""
        await self.settle(SETTLE_TIMEOUT)
        await super().close()

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
        if self.freeze_heap:
            gc.collect()
            gc.freeze()

    async def on_ready(self) -> None:
        """Once connected, do the stores' one-off purchase planning in a thread and start the
        card worker (it reads the fonts before the first card anyone asks for); the bot
        answers in text if it cannot."""
        if self._cards_started:
            return
        self._cards_started = True
        stores = {store for card in self.profiles.presets.values() for store in card.stores}
        await asyncio.to_thread(prepare_stores, stores)  # purchase plans: not on the loop
        try:
            await warm_up()
        except (CardWorkerError, OSError) as error:
            log.warning("The card worker did not start (%s); answers go out as text", error)

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
    freeze_heap: bool = False,
) -> GiftBot:
    """The bot: one process for every server, or (with a shard count) the shards given."""
    if shard_count is None:
        return GiftBot(config, services, freeze_heap=freeze_heap)
    return ShardedGiftBot(
        config,
        services,
        freeze_heap=freeze_heap,
        shard_count=shard_count,
        shard_ids=list(shard_ids or range(shard_count)),
    )


async def answer_expired(interaction: discord.Interaction[GiftBot]) -> None:
    """Tell the presser the buttons expired, instead of Discord's "interaction failed"."""
    try:
        await reply_ephemeral(interaction, t(interaction.locale, "common.expired"))
    except discord.HTTPException:
        log.info("Could not answer an expired button press %s", interaction.id)
