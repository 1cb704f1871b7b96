"""Read the euro reference-rate files the ECB publishes (pure: bytes in, rates out, no network).

Formats, as downloaded from https://www.ecb.europa.eu/stats/eurofxref/:
* `eurofxref-daily.xml`, `eurofxref-hist.xml`, `eurofxref-hist-90d.xml`: a gesmes envelope of
  `<Cube time='YYYY-MM-DD'>` days, each holding `<Cube currency='USD' rate='1.1269'/>` rates;
* `eurofxref.csv`: a `Date, USD, JPY, ...` header and one `06 October 2026, 1.1269, ...` row;
* `eurofxref-hist.csv`: a `Date,USD,JPY,...` header and one ISO-dated row a day, newest first,
  `N/A` where a currency was not quoted that day;
* `eurofxref.zip`, `eurofxref-hist.zip`: one of those CSV files, zipped.

The format is read from the content (the name is only used in messages). Every problem raises
`DataFileError` naming the file. Reading the full history takes tens of milliseconds: run it
outside the event loop.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from xml.etree import ElementTree

from pydantic import ValidationError

from economy.errors import DataFileError
from economy.fx import ReferenceRates
from economy.model import describe, is_currency_code

MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # the full history CSV is about 2 MB
_GESMES = "{http://www.gesmes.org/xml/2002-08-01}"
_EUROFXREF = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"
_MISSING = "N/A"  # a currency not quoted that day (history files)
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}

# day -> currency -> the rate exactly as written
_Days = dict[date, dict[str, str]]


def read_ecb_file(
    data: bytes, file_name: str, *, day: date | None = None, today: date | None = None
) -> ReferenceRates:
    """The euro reference rates of the newest day in an ECB file (or of `day`, if given).

    `today` (default: today in UTC) is the latest day a file may carry.
    """
    name = PurePath(file_name).name or file_name
    if data[:4] == b"PK\x03\x04":
        data, name = _unzip(data, name)
    days = _read_days(data, name)
    return _choose(days, name, day, today or datetime.now(UTC).date())


def _unzip(data: bytes, name: str) -> tuple[bytes, str]:
    """The one CSV or XML file inside an ECB zip, and `zip-name: member-name`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and info.filename.lower().endswith((".csv", ".xml"))
        ]
        if len(members) != 1:
            found = ", ".join(info.filename for info in archive.infolist()) or "nothing"
            raise DataFileError(f"{name}: expected one ECB CSV or XML file inside, found {found}")
        member = members[0]
        if member.file_size > MAX_UNZIPPED_BYTES:
            raise DataFileError(f"{name}: {member.filename} is too large to be an ECB file")
        with archive.open(member) as handle:
            content = handle.read(MAX_UNZIPPED_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError) as err:
        raise DataFileError(f"{name}: not a readable zip file ({err})") from None
    if len(content) > MAX_UNZIPPED_BYTES:
        raise DataFileError(f"{name}: {member.filename} is too large to be an ECB file")
    return content, f"{name}: {member.filename}"


def _read_days(data: bytes, name: str) -> _Days:
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise DataFileError(f"{name}: the file is empty")
    is_xml = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    days = _xml_days(data, name) if is_xml else _csv_days(data, name)
    if not days:
        raise DataFileError(f"{name}: the file holds no dated rates")
    return days


# --- XML ----------------------------------------------------------------------------------


def _xml_days(data: bytes, name: str) -> _Days:
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        raise DataFileError(f"{name}: not an ECB euro reference-rate file (it declares a DTD)")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        raise DataFileError(f"{name}: not well-formed XML ({err})") from None
    if root.tag != f"{_GESMES}Envelope":
        raise DataFileError(
            f"{name}: not an ECB euro reference-rate file (the document is <{root.tag}>, "
            "not the ECB's gesmes:Envelope)"
        )
    days: _Days = {}
    for cube in root.iter(f"{_EUROFXREF}Cube"):
        when = cube.get("time")
        if when is None:
            continue
        day = _iso_day(when, name)
        if day in days:
            raise DataFileError(f"{name}: {day} appears twice")
        rates: dict[str, str] = {}
        for entry in cube.findall(f"{_EUROFXREF}Cube"):
            code, rate = entry.get("currency"), entry.get("rate")
            if code is None or rate is None:
                raise DataFileError(f"{name}: {day}: a rate without currency or rate attribute")
            _add(rates, code.strip(), rate.strip(), day, name)
        days[day] = rates
    return days


# --- CSV ----------------------------------------------------------------------------------


def _csv_days(data: bytes, name: str) -> _Days:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(f"{name}: not an ECB euro reference-rate file (not text)") from None
    rows = _rows(text)
    header = next(rows, None)
    if header is None or not header or header[0] != "Date":
        raise DataFileError(
            f"{name}: not an ECB euro reference-rate file (the first line should start with Date)"
        )
    codes = header[1:]
    while codes and not codes[-1]:  # the ECB ends every line with a comma
        codes.pop()
    bad = [code for code in codes if not is_currency_code(code)]
    if not codes or bad:
        shown = ", ".join(repr(code) for code in bad[:3]) or "none"
        raise DataFileError(
            f"{name}: not an ECB euro reference-rate file (currency columns: {shown})"
        )
    days: _Days = {}
    for line, row in enumerate(rows, start=2):
        if not any(row):
            continue
        day = _csv_day(row[0], name, line)
        values = row[1:]
        while len(values) > len(codes) and not values[-1]:
            values.pop()
        if len(values) != len(codes):
            raise DataFileError(
                f"{name}: line {line} has {len(values)} rates for {len(codes)} currencies"
            )
        if day in days:
            raise DataFileError(f"{name}: {day} appears twice")
        rates: dict[str, str] = {}
        for code, raw in zip(codes, values, strict=True):
            if raw != _MISSING:
                _add(rates, code, raw, day, name)
        days[day] = rates
    return days


def _rows(text: str) -> Iterator[list[str]]:
    for row in csv.reader(io.StringIO(text), skipinitialspace=True):
        yield [cell.strip() for cell in row]


def _csv_day(cell: str, name: str, line: int) -> date:
    """`2026-02-20` (history) or `20 February 2026` (daily file)."""
    parts = cell.split()
    if len(parts) == 3 and parts[1] in _MONTHS and parts[0].isdigit() and parts[2].isdigit():
        try:
            return date(int(parts[2]), _MONTHS[parts[1]], int(parts[0]))
        except ValueError:
            pass
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise DataFileError(f"{name}: line {line}: {cell!r} is not a date") from None


# --- shared -------------------------------------------------------------------------------


def _iso_day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DataFileError(f"{name}: {text!r} is not a date") from None


def _add(rates: dict[str, str], code: str, rate: str, day: date, name: str) -> None:
    if not is_currency_code(code):
        raise DataFileError(f"{name}: {day}: {code!r} is not a currency code")
    if code in rates:
        raise DataFileError(f"{name}: {day}: {code} is listed twice")
    rates[code] = rate


def _choose(days: _Days, name: str, wanted: date | None, today: date) -> ReferenceRates:
    newest = max(days)
    if newest > today:
        raise DataFileError(
            f"{name}: it has rates for {newest}, a day in the future (today is {today})"
        )
    day = newest if wanted is None else wanted
    if day not in days:
        raise DataFileError(f"{name}: no rates for {day} (the file covers {min(days)} to {newest})")
    raw = days[day]
    if not raw:
        raise DataFileError(f"{name}: no rates for {day}")
    if "USD" not in raw:
        raise DataFileError(f"{name}: no USD rate for {day}")
    rates = {code: _rate(text, code, day, name) for code, text in raw.items()}
    try:
        return ReferenceRates(as_of=day, eur_rates=rates, origin=name)
    except ValidationError as err:
        raise DataFileError(f"{name}: {day}: {describe(err)}") from None


def _rate(text: str, code: str, day: date, name: str) -> Decimal:
    try:
        rate = Decimal(text)
    except InvalidOperation:
        rate = Decimal("NaN")
    if not text or not rate.is_finite():
        raise DataFileError(f"{name}: {day}: the {code} rate {text!r} is not a number")
    if rate <= 0:
        raise DataFileError(f"{name}: {day}: the {code} rate {text} is not above 0")
    return rate
