"""A server's profile: the rate card, catalog and currency its answers use, cached per server.

A profile is built from the stored server config (preset, figure overrides, exchange-rate
overrides, custom gifts) over the shipped defaults. Direct messages use the defaults. Every
settings write calls `forget(guild_id)`, so a change applies from the next command on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from economy.catalog import Catalog, Gift
from economy.rates import DEFAULT_PRESET, RateCard
from economy.storage import GuildConfig, Storage

SERVER_OVERRIDE_SOURCE = "server override"


@dataclass(frozen=True)
class Profile:
    """Everything a calculation for one server (or a DM) assumes."""

    rates: RateCard
    catalog: Catalog
    currency: str | None
    config: GuildConfig | None


def build_profile(
    config: GuildConfig | None,
    custom_gifts: list[Gift],
    catalog: Catalog,
    presets: dict[str, RateCard],
    *,
    as_of: date | None = None,
) -> Profile:
    """Apply a server's stored choices over the defaults."""
    if config is None:
        return Profile(presets[DEFAULT_PRESET], catalog, None, None)
    rates = presets.get(config.preset or DEFAULT_PRESET, presets[DEFAULT_PRESET])
    when = as_of or date.today()
    for name, value in sorted(config.overrides.items()):
        rates = rates.with_override(name, Decimal(value), SERVER_OVERRIDE_SOURCE, when)
    for code, value in sorted(config.fx_overrides.items()):
        rates = rates.with_fx(code, Decimal(value), SERVER_OVERRIDE_SOURCE, when)
    server_catalog = catalog.with_custom(custom_gifts) if custom_gifts else catalog
    return Profile(rates, server_catalog, config.currency, config)


class Profiles:
    """Builds and caches one profile per server; DMs share the default profile."""

    def __init__(self, storage: Storage, catalog: Catalog, presets: dict[str, RateCard]) -> None:
        self._storage = storage
        self.catalog = catalog
        self.presets = presets
        self._default = build_profile(None, [], catalog, presets)
        self._cache: dict[int, Profile] = {}

    @property
    def default(self) -> Profile:
        return self._default

    async def get(self, guild_id: int | None) -> Profile:
        """The profile for a server (cached), or the default one for a DM."""
        if guild_id is None:
            return self._default
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        config = await self._storage.get_guild_config(guild_id)
        custom = [
            Gift(
                name=g.name, coins=g.coins, gift_id=None, aliases=(), streakable=False, custom=True
            )
            for g in await self._storage.list_custom_gifts(guild_id)
        ]
        profile = build_profile(config, custom, self.catalog, self.presets)
        self._cache[guild_id] = profile
        return profile

    def forget(self, guild_id: int) -> None:
        """Drop a server's cached profile after its settings change."""
        self._cache.pop(guild_id, None)
