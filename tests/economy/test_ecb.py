"""ECB euro reference-rate files in every format the ECB publishes, and what is refused."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from economy.ecb import read_ecb_file
from economy.errors import DataFileError, NotFound
from economy.fx import ReferenceRates

FILES = Path(__file__).parent / "ecb"
TODAY = date(2026, 11, 25)
D = Decimal


def fixture(name: str) -> bytes:
    return (FILES / name).read_bytes()


def zipped(member: str, data: bytes, *more: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
        for name, content in more:
            archive.writestr(name, content)
    return buffer.getvalue()


def read(data: bytes, name: str, day: date | None = None) -> ReferenceRates:
    return read_ecb_file(data, name, day=day, today=TODAY)


def refusal(data: bytes, name: str = "upload.csv", **kwargs: object) -> str:
    with pytest.raises(DataFileError) as err:
        read_ecb_file(data, name, today=kwargs.pop("today", TODAY), **kwargs)  # type: ignore[arg-type]
    message = str(err.value)
    assert message.startswith(Path(name).name), message  # every refusal names the file
    return message


# --- every format, the same day -----------------------------------------------------------


def test_the_daily_xml_of_6_october_2026() -> None:
    rates = read(fixture("eurofxref-daily.xml"), "downloads/eurofxref-daily.xml")
    assert rates.as_of == date(2026, 10, 6)
    assert len(rates.eur_rates) == 29  # every ECB currency but the euro itself
    assert rates.eur_rates["USD"] == D("1.1269")
    assert str(rates.eur_rates["GBP"]) == "0.84880"  # exactly as published
    assert (rates.source, rates.origin) == ("ECB", "eurofxref-daily.xml")
    # the per-USD rates of fx_rates.md section A
    assert (rates.per_usd("IDR"), rates.per_usd("BRL")) == (D("17840.8"), D("4.96859"))
    assert rates.per_usd("EUR") == D("0.887390")
    assert rates.per_usd("USD") == 1
    with pytest.raises(NotFound):
        rates.per_usd("BGN")  # dropped by the ECB on 2026-01-01


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("eurofxref-hist-90d.xml", fixture("eurofxref-hist-90d.xml")),
        ("eurofxref.csv", fixture("eurofxref.csv")),
        ("eurofxref.zip", zipped("eurofxref.csv", fixture("eurofxref.csv"))),
    ],
)
def test_every_format_reads_the_same_rates(name: str, data: bytes) -> None:
    daily = read(fixture("eurofxref-daily.xml"), "eurofxref-daily.xml")
    other = read(data, name)
    assert other.as_of == daily.as_of == date(2026, 10, 6)
    assert other.eur_rates == daily.eur_rates
    assert other.figures(["IDR", "EUR"]) != {}
    assert other.per_usd("IDR") == daily.per_usd("IDR")


def test_the_90_day_file_gives_its_newest_day_or_a_chosen_one() -> None:
    data = fixture("eurofxref-hist-90d.xml")
    assert read(data, "eurofxref-hist-90d.xml").eur_rates["USD"] == D("1.1269")
    earlier = read(data, "eurofxref-hist-90d.xml", day=date(2026, 10, 5))
    assert (earlier.as_of, earlier.eur_rates["USD"]) == (date(2026, 10, 5), D("1.1204"))
    message = refusal(data, "eurofxref-hist-90d.xml", day=date(2026, 10, 4))
    assert "no rates for 2026-10-04" in message and "2026-10-05 to 2026-10-06" in message


def test_the_history_csv_skips_currencies_not_quoted_that_day() -> None:
    data = fixture("eurofxref-hist.csv")
    newest = read(data, "eurofxref-hist.csv")
    assert newest.as_of == date(2026, 2, 20)  # fx_rates.md section B
    assert newest.eur_rates["USD"] == D("1.1767")
    assert newest.eur_rates["IDR"] == D("19872.87")
    assert "BGN" not in newest.eur_rates and "CYP" not in newest.eur_rates  # N/A that day
    new_year = read(data, "eurofxref-hist.csv", day=date(2025, 12, 31))
    assert new_year.eur_rates["BGN"] == D("1.9558")  # still quoted before the euro came
    zipped_history = read(zipped("eurofxref-hist.csv", data), "eurofxref-hist.zip")
    assert zipped_history == newest.model_copy(update={"origin": zipped_history.origin})
    assert zipped_history.origin == "eurofxref-hist.zip: eurofxref-hist.csv"


# --- what is refused ----------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t", b"\xef\xbb\xbf\n"])
def test_an_empty_file(data: bytes) -> None:
    assert "empty" in refusal(data, "eurofxref.csv")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"<html><body>Service unavailable</body></html>", "not the ECB's gesmes:Envelope"),
        (b'{"presets": {}}', "first line should start with Date"),
        (b"name,coins\nRose,1\n", "first line should start with Date"),
        (b"Date,Dollars,Yen\n2026-10-06,1.1,178\n", "currency columns"),
        (b"<gesmes:Envelope", "not well-formed XML"),
        (b"\xff\xfe\x00binary", "not text"),
    ],
)
def test_not_an_ecb_file(data: bytes, why: str) -> None:
    message = refusal(data, "rates.bin")
    assert why in message


def test_an_xml_file_declaring_entities_is_refused_unread() -> None:
    data = fixture("eurofxref-daily.xml").replace(
        b"<gesmes:Envelope", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><gesmes:Envelope', 1
    )
    assert "DTD" in refusal(data, "eurofxref-daily.xml")


def test_no_usd_rate() -> None:
    xml = fixture("eurofxref-daily.xml").replace(b"<Cube currency='USD' rate='1.1269'/>", b"")
    assert "no USD rate for 2026-10-06" in refusal(xml, "eurofxref-daily.xml")
    csv = fixture("eurofxref-hist.csv").replace(b"Date,USD,", b"Date,XXX,", 1)
    assert "no USD rate for 2026-02-20" in refusal(csv, "eurofxref-hist.csv")


@pytest.mark.parametrize(
    ("rate", "why"),
    [
        (b"0", "is not above 0"),
        (b"-1.1269", "is not above 0"),
        (b"abc", "is not a number"),
        (b"NaN", "is not a number"),
        (b"Infinity", "is not a number"),
    ],
)
def test_bad_rates(rate: bytes, why: str) -> None:
    xml = fixture("eurofxref-daily.xml").replace(b"rate='20104.80'", b"rate='" + rate + b"'")
    message = refusal(xml, "eurofxref-daily.xml")
    assert "2026-10-06" in message and "IDR" in message and why in message
    csv = fixture("eurofxref.csv").replace(b" 20104.80,", b" " + rate + b",")
    assert why in refusal(csv, "eurofxref.csv")


def test_a_day_in_the_future() -> None:
    daily = fixture("eurofxref-daily.xml")
    message = refusal(daily, "eurofxref-daily.xml", today=date(2026, 10, 5))
    assert "2026-10-06, a day in the future" in message


def test_broken_structure() -> None:
    doubled = fixture("eurofxref-daily.xml").replace(
        b"<Cube currency='JPY'", b"<Cube currency='USD' rate='1.2'/><Cube currency='JPY'", 1
    )
    assert "USD is listed twice" in refusal(doubled, "eurofxref-daily.xml")
    blank = fixture("eurofxref.csv").replace(b" 18.5829, ", b"")
    assert "the ZAR rate '' is not a number" in refusal(blank, "eurofxref.csv")
    short = fixture("eurofxref.csv").replace(b" 37.836, 18.5829, ", b"")
    assert "line 2 has 28 rates for 29 currencies" in refusal(short, "eurofxref.csv")
    undated = fixture("eurofxref.csv").replace(b"06 October 2026", b"Tuesday")
    assert "'Tuesday' is not a date" in refusal(undated, "eurofxref.csv")
    header_only = fixture("eurofxref.csv").split(b"\n")[0] + b"\n"
    assert "holds no dated rates" in refusal(header_only, "eurofxref.csv")


def test_bad_zips() -> None:
    two = zipped("eurofxref.csv", fixture("eurofxref.csv"), ("extra.csv", b"Date,USD,\n"))
    assert "expected one ECB CSV or XML file inside" in refusal(two, "eurofxref.zip")
    nothing = zipped("readme.txt", b"hello")
    assert "found readme.txt" in refusal(nothing, "eurofxref.zip")
    truncated = zipped("eurofxref.csv", fixture("eurofxref.csv"))[:40]
    assert "not a readable zip file" in refusal(truncated, "eurofxref.zip")
    wrong_inside = zipped("eurofxref.csv", b"<html>maintenance</html>")
    assert refusal(wrong_inside, "eurofxref.zip").startswith("eurofxref.zip: eurofxref.csv: ")
