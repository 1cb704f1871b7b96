"""The ledger export: CSV rows streamed into gzip parts that each fit an upload limit.

Rows are formatted, encoded and compressed in a worker thread, a chunk at a time, into files
in a temporary folder, so memory stays flat and the event loop free however long the ledger
is. A part is closed and a new one started (with the header again) before it would pass the
limit, so every part uploads on its own.
"""

from __future__ import annotations

import asyncio
import csv
import gzip
import io
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from economy.storage import Entry
from economy.tally import LEDGER_COLUMNS, ledger_row

CHUNK = 2000  # rows handed to the writer thread at a time
COMPRESS_LEVEL = 6  # zlib's default: 3x faster than gzip's 9 on CSV, a few % larger
HEADROOM = 64 * 1024  # a part closes this far below the limit (a chunk compresses to less)

Progress = Callable[[int], object]


@dataclass
class ExportParts:
    """The files written and how many rows they hold."""

    files: list[Path] = field(default_factory=list)
    rows: int = 0


class _PartWriter:
    """Writes CSV rows into gzip parts in `folder` (runs in a worker thread only)."""

    def __init__(self, folder: Path, stem: str, limit: int) -> None:
        self.folder, self.stem, self.limit = folder, stem, limit
        self.parts = ExportParts()
        self._raw: io.BufferedWriter | None = None
        self._zip: gzip.GzipFile | None = None
        self._text: io.TextIOWrapper | None = None
        self._csv: Any = None

    def _open_part(self) -> None:
        path = self.folder / f"{self.stem}-part{len(self.parts.files) + 1}.csv.gz"
        self.parts.files.append(path)
        self._raw = open(path, "wb")  # noqa: SIM115  (closed in _close_part)
        self._zip = gzip.GzipFile(
            filename=path.stem, mode="wb", fileobj=self._raw, mtime=0, compresslevel=COMPRESS_LEVEL
        )
        self._text = io.TextIOWrapper(self._zip, encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._text, lineterminator="\r\n")
        self._csv.writerow(LEDGER_COLUMNS)

    def _close_part(self) -> None:
        if self._text is not None:
            self._text.close()  # closes the gzip stream and the file
        self._raw = self._zip = self._text = self._csv = None

    def write(self, entries: Sequence[Entry]) -> None:
        if self._csv is None:
            self._open_part()
        self._csv.writerows(ledger_row(entry) for entry in entries)
        self.parts.rows += len(entries)
        if self._text is not None and self._zip is not None and self._raw is not None:
            self._text.flush()
            self._zip.flush()
            if self._raw.tell() > self.limit - HEADROOM:
                self._close_part()

    def finish(self) -> ExportParts:
        if self._csv is None and not self.parts.files:
            self._open_part()  # an empty ledger still exports its header
        self._close_part()
        return self.parts


async def export_ledger(
    entries: AsyncIterator[Entry],
    folder: Path,
    stem: str,
    limit: int,
    progress: Progress | None = None,
) -> ExportParts:
    """Write every entry as CSV into gzip parts of at most `limit` bytes in `folder`."""
    writer = _PartWriter(folder, stem, limit)
    chunk: list[Entry] = []
    try:
        async for entry in entries:
            chunk.append(entry)
            if len(chunk) >= CHUNK:
                await asyncio.to_thread(writer.write, chunk)
                chunk = []
                if progress is not None:
                    progress(writer.parts.rows)
        if chunk:
            await asyncio.to_thread(writer.write, chunk)
        return await asyncio.to_thread(writer.finish)
    except BaseException:
        await asyncio.to_thread(writer._close_part)
        raise
