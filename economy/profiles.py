"""A server's profile: the rate card, catalog and currency its answers use, cached per server.

A profile is built from the stored server settings (preset, figure overrides, exchange-rate
overrides, custom gifts) over the shipped defaults. Direct messages use the defaults. Every
settings write calls `forget(guild_id)`, so a change applies from the next command on.

Exchange rates loaded with `python -m bot fx update FILE` (stored for every server) replace the
shipped ones when their day is newer; the running bot looks for them at most once every
`RATES_CHECK_SECONDS`, so a load applies within that time without a restart. A server's own
rates (`/settings fx`) still win.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from economy.catalog import Catalog, Gift
from economy.errors import EconomyError, NotFound
from economy.fx import ReferenceRates
from economy.rates import DEFAULT_PRESET, RateCard
from economy.storage import (
    GuildSettings,
    GuildSettingsStore,
    ReferenceRatesStore,
    StorageError,
    custom_gift_key,
    fx_key,
    override_key,
)

SERVER_OVERRIDE_SOURCE = "server override"
HISTORY_FOR_DATES = 100  # audit rows read to date the overrides (older ones: dated today)
RATES_CHECK_SECONDS = 60.0  # how often the bot looks for newly loaded exchange rates

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Profile:
    """Everything a calculation for one server (or a DM) assumes.

    `ignored` names stored settings that could not be applied (e.g. a custom gift whose name a
    newer shipped catalog now uses); empty when everything stored is in force.
    """

    rates: RateCard
    catalog: Catalog
    currency: str | None
    settings: GuildSettings | None
    ignored: tuple[str, ...] = ()

    @property
    def changed_figures(self) -> tuple[str, ...]:
        """The figures this server set itself that are in force (its applied overrides)."""
        if self.settings is None:
            return ()
        return tuple(
            sorted(
                name for name in self.settings.overrides if override_key(name) not in self.ignored
            )
        )


def custom_gift(name: str, coins: int) -> Gift:
    """A server-only gift as the catalog holds it."""
    return Gift(name=name, coins=coins, gift_id=None, aliases=(), streakable=False, custom=True)


def build_profile(
    settings: GuildSettings | None,
    custom_gifts: list[Gift],
    catalog: Catalog,
    presets: dict[str, RateCard],
    *,
    as_of: date | None = None,
    dates: Mapping[str, date] | None = None,
    strict: bool = True,
) -> Profile:
    """Apply a server's stored choices over the defaults.

    `dates` maps a setting key (`override:<figure>`, `fx:<CUR>`) to the day it was set (else
    `as_of`, else today). With `strict` the first choice that does not apply raises its
    `EconomyError`; otherwise it is skipped and named in `Profile.ignored`, so one stale
    setting never stops a server's every command.
    """
    if settings is None:
        return Profile(presets[DEFAULT_PRESET], catalog, None, None)
    ignored: list[str] = []
    preset = settings.preset or DEFAULT_PRESET
    if preset not in presets:
        if strict:
            raise NotFound("preset", preset)
        ignored.append("preset")
    rates = presets.get(preset, presets[DEFAULT_PRESET])
    when = as_of or datetime.now(UTC).date()
    known = dates or {}
    steps = [(override_key(name), name, value) for name, value in settings.overrides.items()]
    steps += [(fx_key(code), code, value) for code, value in settings.fx_overrides.items()]
    pending = sorted(steps)
    while pending:  # in passes: one override may only fit once another is in (low <= high)
        failed: list[tuple[str, str, str, Exception]] = []
        for key, name, value in pending:
            try:
                rates = _apply(rates, key, name, value, known.get(key, when))
            except (EconomyError, ArithmeticError) as error:
                failed.append((key, name, value, error))
        if len(failed) == len(pending):
            if strict:
                raise failed[0][3]
            for key, _, value, problem in failed:
                log.warning("Ignoring stored setting %s=%s: %s", key, value, problem)
                ignored.append(key)
            break
        pending = [(key, name, value) for key, name, value, _ in failed]
    server_catalog = _with_custom(catalog, custom_gifts, ignored, strict=strict)
    return Profile(rates, server_catalog, settings.currency, settings, tuple(ignored))


def _apply(rates: RateCard, key: str, name: str, value: str, day: date) -> RateCard:
    if key == fx_key(name):
        return rates.with_fx(name, Decimal(value), SERVER_OVERRIDE_SOURCE, day)
    return rates.with_override(name, Decimal(value), SERVER_OVERRIDE_SOURCE, day)


def _with_custom(
    catalog: Catalog, gifts: list[Gift], ignored: list[str], *, strict: bool
) -> Catalog:
    """The catalog with the server's gifts; leniently, skipping any that clash."""
    if not gifts:
        return catalog
    if strict:
        return catalog.with_custom(gifts)
    kept, clashing = catalog.partition_custom(gifts)
    for gift, name in clashing:
        log.warning("Ignoring custom gift %r: %r is already a gift's name", gift.name, name)
        ignored.append(custom_gift_key(gift.name))
    return catalog.with_custom(kept) if kept else catalog


def with_newer_rates(
    presets: Mapping[str, RateCard], reference: ReferenceRates
) -> dict[str, RateCard]:
    """Every preset with `reference`'s exchange rates where they are of a newer day than the
    preset's own (a currency `reference` lacks keeps its dated rate)."""
    updated: dict[str, RateCard] = {}
    for name, card in presets.items():
        older = [code for code, figure in card.fx.items() if figure.as_of < reference.as_of]
        updated[name] = card.with_reference_rates(reference, older) if older else card
    return updated


class Profiles:
    """Builds and caches one profile per server; DMs share the default profile."""

    def __init__(
        self,
        storage: GuildSettingsStore,
        catalog: Catalog,
        presets: dict[str, RateCard],
        *,
        reference_rates: ReferenceRatesStore | None = None,
        check_every: float | None = None,
    ) -> None:
        self._storage = storage
        self.catalog = catalog
        self.presets = presets
        self._shipped = dict(presets)
        self._default = build_profile(None, [], catalog, presets)
        self._cache: dict[int, Profile] = {}
        self._epoch = 0  # bumped by forget(): a build that raced a change is not cached
        self._reference_rates = reference_rates
        self._check_every = RATES_CHECK_SECONDS if check_every is None else check_every
        self._checked_at: float | None = None
        self._rates_in_use: int | None = None  # the stored row applied, if any

    @property
    def default(self) -> Profile:
        return self._default

    async def stored(self, guild_id: int) -> tuple[GuildSettings, list[Gift]]:
        """A server's stored settings and custom gifts, read fresh (not cached)."""
        stored = await self._storage.stored_settings(guild_id, HISTORY_FOR_DATES)
        return stored.settings, [custom_gift(g.name, g.coins) for g in stored.custom_gifts]

    def build(
        self,
        settings: GuildSettings,
        custom_gifts: list[Gift],
        *,
        dates: Mapping[str, date] | None = None,
        strict: bool = True,
    ) -> Profile:
        """A profile from a (possibly would-be) settings; strict raises on the first problem."""
        return build_profile(
            settings, custom_gifts, self.catalog, self.presets, dates=dates, strict=strict
        )

    async def refresh_rates(self) -> bool:
        """Apply the newest loaded exchange rates if they are not the ones in use (and newer
        than the shipped ones); True when the rates changed. Cached profiles are dropped."""
        self._checked_at = time.monotonic()
        if self._reference_rates is None:
            return False
        stored = await self._reference_rates.newest_reference_rates()
        if stored is None or stored.id == self._rates_in_use:
            return False
        self._rates_in_use = stored.id
        try:
            presets = with_newer_rates(self._shipped, stored.rates)
        except EconomyError as error:
            log.warning("Ignoring loaded exchange rates of %s: %s", stored.rates.as_of, error)
            return False
        if presets == self.presets:
            return False
        log.info("Using the exchange rates of %s (%s)", stored.rates.as_of, stored.rates.source)
        self.presets = presets
        self._default = build_profile(None, [], self.catalog, presets)
        self._epoch += 1
        self._cache.clear()
        return True

    async def get(self, guild_id: int | None) -> Profile:
        """The profile for a server (cached), or the default one for a DM."""
        checked = self._checked_at
        if checked is None or time.monotonic() - checked >= self._check_every:
            try:
                await self.refresh_rates()
            except StorageError as error:  # the rates in use stay; the next check tries again
                log.warning("Could not look for loaded exchange rates: %s", error)
        if guild_id is None:
            return self._default
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        epoch = self._epoch
        stored = await self._storage.stored_settings(guild_id, HISTORY_FOR_DATES)
        custom = [custom_gift(g.name, g.coins) for g in stored.custom_gifts]
        dates = {key: moment.date() for key, moment in stored.set_on.items()}
        settings = stored.settings
        profile = self.build(settings, custom, dates=dates, strict=False)
        if epoch == self._epoch:
            self._cache[guild_id] = profile
        return profile

    def forget(self, guild_id: int) -> None:
        """Drop a server's cached profile after its settings change."""
        self._epoch += 1
        self._cache.pop(guild_id, None)
