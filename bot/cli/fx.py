"""`fx update FILE [--day DAY]` and `fx show`: the exchange rates the bot converts with.

`update` reads a file downloaded from the ECB (https://www.ecb.europa.eu/stats/eurofxref/:
`eurofxref-daily.xml`, `eurofxref-hist.xml`, `eurofxref.zip`, `eurofxref-hist.zip` and their
CSVs), validates it, and stores the day it carries (the newest, or `--day`) in the bot's
database. The running bot picks the rates up within a minute (`economy.profiles`), in every
server; a server's own rates (`/settings fx`) still win. A file whose day is older than the
rates in use is refused; a bad file is refused with one line, and nothing is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.config import BotConfig
from bot.logs import setup_logging
from economy.ecb import read_ecb_file
from economy.errors import DataFileError
from economy.fx import ReferenceRates
from economy.rates import DEFAULT_PRESET, FX_CURRENCIES, default_presets

SHOWN = ("IDR", "BRL", "EUR", "GBP")  # the rates `update` and `show` print


def add(sub: Any) -> None:
    parser = sub.add_parser("fx", help="the exchange rates the bot converts with")
    actions = parser.add_subparsers(dest="fx_action", required=True)
    update = actions.add_parser("update", help="load a newer ECB reference-rate file")
    update.add_argument("file", type=Path, help="an ECB file: eurofxref-daily.xml, ...-hist.zip")
    update.add_argument("--day", type=date.fromisoformat, help="the day to load (YYYY-MM-DD)")
    update.set_defaults(handler=update_command)
    show = actions.add_parser("show", help="the exchange rates in use and their day")
    show.set_defaults(handler=show_command)


def shipped_day() -> date:
    """The day of the exchange rates shipped with the bot."""
    return max(figure.as_of for figure in default_presets()[DEFAULT_PRESET].fx.values())


def describe(rates: ReferenceRates) -> str:
    """`USD->IDR 17,840.8, USD->BRL 4.96859, ...` for the currencies people look at."""
    shown = [code for code in SHOWN if code in rates.currencies]
    return ", ".join(f"USD->{code} {rates.per_usd(code).normalize():,f}" for code in shown)


def update_command(args: argparse.Namespace, config: BotConfig) -> int:
    setup_logging("WARNING", [config.token() or ""])
    file: Path = args.file
    try:
        data = file.read_bytes()
    except OSError as error:
        print(
            f"Cannot read {file}: {error.strerror or error}. Nothing was loaded.", file=sys.stderr
        )
        return 2
    try:
        rates = read_ecb_file(data, file.name, day=args.day)
    except DataFileError as error:
        print(f"{error}. Nothing was loaded.", file=sys.stderr)
        return 2
    return asyncio.run(store(config, rates, file))


async def store(config: BotConfig, rates: ReferenceRates, file: Path) -> int:
    """Keep `rates` unless the bot already has the rates of that day or a newer one."""
    from bot.services import open_storage

    storage = await open_storage(config)
    try:
        newest = await storage.reference_rates.newest_reference_rates()
        in_use = max(shipped_day(), newest.rates.as_of if newest else shipped_day())
        day = rates.as_of.isoformat()
        if rates.as_of < in_use:
            print(
                f"{file.name} carries the rates of {day}, older than those in use "
                f"({in_use.isoformat()}). Nothing was loaded.",
                file=sys.stderr,
            )
            return 2
        if rates.as_of == in_use and (newest is None or newest.rates.eur_rates == rates.eur_rates):
            print(f"The bot already uses the ECB rates of {day}. Nothing changed.")
            return 0
        await storage.reference_rates.add_reference_rates(rates)
    finally:
        await storage.close()
    missing = [code for code in FX_CURRENCIES if code not in rates.currencies]
    print(f"Loaded the {rates.source} rates of {day} from {file.name}: {describe(rates)}.")
    if missing:
        print(f"The file has no rate for {', '.join(missing)}: those keep their older rate.")
    print("The running bot uses them within a minute, in every server without its own rates.")
    return 0


def show_command(args: argparse.Namespace, config: BotConfig) -> int:
    setup_logging("WARNING", [config.token() or ""])
    return asyncio.run(show(config))


async def show(config: BotConfig) -> int:
    from bot.services import open_storage

    storage = await open_storage(config)
    try:
        newest = await storage.reference_rates.newest_reference_rates()
    finally:
        await storage.close()
    if newest is None or newest.rates.as_of <= shipped_day():
        print(f"The shipped ECB rates of {shipped_day().isoformat()} (no newer file loaded).")
        return 0
    loaded = newest.loaded_at.strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"The {newest.rates.source} rates of {newest.rates.as_of.isoformat()} "
        f"({newest.rates.origin}, loaded {loaded}): {describe(newest.rates)}."
    )
    return 0
