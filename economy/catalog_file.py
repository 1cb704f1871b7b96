"""Reading and validating `gifts.json`: every problem is a `DataFileError` naming the entry.

The names each gift answers to are worked out once, here, to check them; the catalog indexes
the same ones (`CheckedFile.named`) rather than work them out and check them again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from economy.errors import DataFileError
from economy.gift import CatalogFile, Gift
from economy.gift_names import Level, NamedKey, find_clash, named_keys
from economy.text import normalise


@dataclass(frozen=True)
class CheckedFile:
    """A catalog file's validated contents, and the names each gift answers to (`named[i]`
    for `data.gifts[i]`), checked: no name or alias makes a lookup ambiguous."""

    data: CatalogFile
    named: tuple[tuple[NamedKey, ...], ...]


def read_catalog_file(file: Path) -> CheckedFile:
    """The validated contents of a catalog file, or `DataFileError` naming the problem."""
    raw = _read_json(file)
    try:
        data = CatalogFile.model_validate(raw)
    except ValidationError as err:
        raise DataFileError(_describe_validation(file, raw, err)) from None
    named = tuple(named_keys(gift) for gift in data.gifts)
    _check_unique(file, data.gifts, named)
    _check_ids(file, data.gifts)
    _check_sources(file, data)
    _check_featured(file, data, named)
    return CheckedFile(data, named)


def _read_json(file: Path) -> Any:
    """The parsed JSON of `file`, or `DataFileError` naming the file and position."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as err:
        raise DataFileError(f"{file}: cannot read: {err.strerror or err}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DataFileError(
            f"{file}: line {err.lineno}, column {err.colno}: invalid JSON: {err.msg}"
        ) from None


def _entry_label(raw: Any, index: int) -> str:
    """`gifts[3] ('Rose')` for error messages, using the raw entry's name when it has one."""
    entries = raw.get("gifts") if isinstance(raw, dict) else None
    entry = entries[index] if isinstance(entries, list) and 0 <= index < len(entries) else None
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"gifts[{index}] ({name!r})" if isinstance(name, str) else f"gifts[{index}] (no name)"


def _field_path(loc: Sequence[str | int]) -> str:
    """`('aliases', 1)` -> `aliases[1]`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe_validation(file: Path, raw: Any, err: ValidationError) -> str:
    """One sentence naming the file, the entry and the field of the first problem."""
    errors = err.errors(include_url=False)
    first = errors[0]
    loc = tuple(first["loc"])
    if len(loc) >= 2 and loc[0] == "gifts" and isinstance(loc[1], int):
        where = _entry_label(raw, loc[1])
        field = _field_path(loc[2:]) or "entry"
        message = f"{file}: {where}: field {field!r}: {first['msg']}"
    else:
        message = f"{file}: field {_field_path(loc) or '(top level)'!r}: {first['msg']}"
    more = len(errors) - 1
    return message + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")


def _label(gifts: Sequence[Gift], index: int) -> str:
    return f"gifts[{index}] ({gifts[index].name!r})"


def _check_unique(file: Path, gifts: Sequence[Gift], named: Sequence[Sequence[NamedKey]]) -> None:
    """`DataFileError` when a name or alias would make a lookup ambiguous."""
    clash = find_clash(named)
    if clash is None:
        return
    raise DataFileError(
        f"{file}: {_label(gifts, clash.index)}: field {clash.field!r}: {clash.value!r} "
        f"duplicates a name or alias of {_label(gifts, clash.other)}"
    )


def _check_ids(file: Path, gifts: Sequence[Gift]) -> None:
    """`DataFileError` when two gifts carry the same TikTok gift id."""
    seen: dict[int, int] = {}
    for index, gift in enumerate(gifts):
        for gift_id in gift.ids:
            other = seen.setdefault(gift_id, index)
            if other != index:
                raise DataFileError(
                    f"{file}: {_label(gifts, index)}: field 'gift_id': id {gift_id} is also "
                    f"{_label(gifts, other)}'s"
                )


def _check_sources(file: Path, data: CatalogFile) -> None:
    """Each gift's sources are described at the top, and its as_of is their newest date."""
    if not data.sources:
        return
    for index, gift in enumerate(data.gifts):
        unknown = [key for key in gift.sources if key not in data.sources]
        if unknown or not gift.sources:
            what = f"unknown source {unknown[0]!r}" if unknown else "no source"
            raise DataFileError(f"{file}: {_label(data.gifts, index)}: field 'sources': {what}")
        newest = max(data.sources[key].as_of for key in gift.sources)
        if gift.as_of != newest:
            raise DataFileError(
                f"{file}: {_label(data.gifts, index)}: field 'as_of': {gift.as_of} is not "
                f"{newest}, the newest date of its sources"
            )


def _check_featured(file: Path, data: CatalogFile, named: Sequence[Sequence[NamedKey]]) -> None:
    """`DataFileError` when a featured name is not a current gift's name."""
    gifts = {n.key: n.gift for names in named for n in names if n.level is Level.NAME}
    for index, name in enumerate(data.featured):
        gift = gifts.get(normalise(name))
        problem = "no such gift" if gift is None else f"{gift.name!r} is {gift.status}"
        if gift is None or gift.status != "current":
            raise DataFileError(
                f"{file}: featured[{index}] ({name!r}): field 'featured': {problem}"
            )
