"""Reference exchange rates: one day's euro rates as published, and the per-USD rates they give.

The ECB publishes how much of each currency one euro buys (EUR->X). The bot converts through
USD, so a card needs units of X per USD: `USD->X = EUR->X / EUR->USD` (and `USD->EUR =
1 / EUR->USD`), rounded half-up to `DERIVED_DIGITS` significant digits: the ECB publishes 5
to 7 (1.1269, 20104.80), so more digits would be noise, and a rate stays readable wherever
it is shown (17,840.8 rupiah per dollar). The raw EUR->X numbers are kept exactly as
published, with the day they are for and where they were read, and serialise to JSON text
(`to_json` / `from_json`) so a loaded file can be stored and reused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from pydantic import Field, ValidationError, field_validator

from economy.errors import DataFileError, NotFound
from economy.model import ExactDecimal, Figure, Frozen, Text, describe, is_currency_code

DERIVED_DIGITS = 6  # significant digits of a derived per-USD rate
_DERIVED = Context(prec=DERIVED_DIGITS, rounding=ROUND_HALF_UP)
ECB = "ECB"  # the short source a converted amount shows ("ECB, 2026-10-06")


class ReferenceRates(Frozen):
    """One day's EUR->X reference rates (EUR itself is not listed; USD must be).

    `source` is the short attribution a reply shows (`ECB`); `origin` says exactly where the
    numbers were read (a file name, or a URL and how it was checked).
    """

    as_of: date
    eur_rates: dict[str, ExactDecimal] = Field(min_length=1)
    source: Text = ECB
    origin: Text

    @field_validator("eur_rates")
    @classmethod
    def _rates_valid(cls, rates: dict[str, Decimal]) -> dict[str, Decimal]:
        for code, rate in rates.items():
            if not is_currency_code(code):
                raise ValueError(f"{code!r} is not a currency code like 'USD'")
            if code == "EUR":
                raise ValueError("EUR is the base of euro reference rates; do not list it")
            if not rate.is_finite() or rate <= 0:
                raise ValueError(f"the {code} rate must be a number above 0 (got {rate})")
        if "USD" not in rates:
            raise ValueError("no USD rate: the bot converts through USD and needs EUR->USD")
        return rates

    @property
    def currencies(self) -> tuple[str, ...]:
        """Every currency these rates convert (EUR and USD included), sorted."""
        return tuple(sorted({*self.eur_rates, "EUR"}))

    def per_usd(self, currency: str) -> Decimal:
        """Units of `currency` per USD (1 for USD), to `DERIVED_DIGITS` significant digits;
        `NotFound` if these rates lack it."""
        code = currency.strip().upper()
        usd = self.eur_rates["USD"]
        if code == "USD":
            return Decimal(1)
        if code == "EUR":
            return _DERIVED.divide(Decimal(1), usd)
        rate = self.eur_rates.get(code)
        if rate is None:
            raise NotFound("exchange rate", code)
        return _DERIVED.divide(rate, usd)

    def figure(self, currency: str) -> Figure:
        """The per-USD rate of `currency` as a dated figure, its note saying how it was derived."""
        code = currency.strip().upper()
        usd = self.eur_rates["USD"]
        if code == "EUR":
            how = f"USD->EUR = 1 / EUR->USD {usd}"
        else:
            how = f"USD->{code} = EUR->{code} {self.eur_rates.get(code)} / EUR->USD {usd}"
        return Figure(
            value=self.per_usd(code),
            source=self.source,
            as_of=self.as_of,
            note=f"{how}; euro reference rates of {self.as_of.isoformat()}, from {self.origin}",
        )

    def figures(self, currencies: Iterable[str]) -> dict[str, Figure]:
        """Dated per-USD figures for `currencies` (USD skipped: it is the base)."""
        codes = {code.strip().upper() for code in currencies} - {"USD"}
        return {code: self.figure(code) for code in sorted(codes)}

    def to_json(self) -> str:
        """JSON text, every rate as a string so it reads back exactly."""
        return json.dumps(self._plain(), ensure_ascii=False, sort_keys=True)

    def _plain(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "source": self.source,
            "origin": self.origin,
            "eur_rates": {code: str(rate) for code, rate in sorted(self.eur_rates.items())},
        }

    @classmethod
    def from_json(cls, text: str | bytes, name: str = "stored reference rates") -> ReferenceRates:
        """Rates written by `to_json`; `DataFileError` naming `name` if the text is not valid."""
        try:
            raw = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise DataFileError(f"{name}: not valid JSON: {err}") from None
        return cls.from_data(raw, name)

    @classmethod
    def from_data(cls, raw: object, name: str) -> ReferenceRates:
        """Rates from already-parsed JSON data; `DataFileError` naming `name` if invalid."""
        try:
            return cls.model_validate(raw)
        except ValidationError as err:
            raise DataFileError(f"{name}: {describe(err)}") from None
