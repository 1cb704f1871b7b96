"""Building blocks of the validated data models: frozen models, exact decimals, dated figures."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError


def _exact_decimal(value: Any) -> Any:
    """Refuse floats (inexact); strings and ints load exactly, and pydantic refuses NaN/inf."""
    if isinstance(value, float):
        raise ValueError('write money and rates as strings (e.g. "0.005"), not JSON numbers')
    return value


ExactDecimal = Annotated[Decimal, BeforeValidator(_exact_decimal)]
Text = Annotated[str, Field(min_length=1)]


class Frozen(BaseModel):
    """An immutable model that refuses unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Sourced(Frozen):
    """Anything the bot states: where it comes from and when it was true."""

    source: Text
    as_of: date
    note: str | None = None


class Figure(Sourced):
    """One number with where it comes from and when it was true."""

    value: ExactDecimal


def is_currency_code(code: str) -> bool:
    """Whether `code` is written like an ISO 4217 code (`USD`, `IDR`)."""
    return re.fullmatch(r"[A-Z]{3}", code) is not None


def clean_message(message: str) -> str:
    """A pydantic error message without its `Value error, ` prefix."""
    return message.removeprefix("Value error, ")


def describe(err: ValidationError, top: str = "(top level)") -> str:
    """Every problem of a validation error as `field a.b: message; ...`."""
    parts = []
    for item in err.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or top
        parts.append(f"field {field}: {clean_message(item['msg'])}")
    return "; ".join(parts)
