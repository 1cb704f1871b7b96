"""Which database files this machine's bot has created, kept outside their folder.

A database that is missing at start is created only on the first run. When the bot created
it before, it was deleted or moved (the whole data folder with it, perhaps): starting over
empty would silently drop every answered write, so the bot refuses to start and says how to
restore it. The list lives in the user's state folder (``$XDG_STATE_HOME/tiktok-gift-bot``),
not beside the database, so deleting the data folder does not delete the memory of it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_NAME = "databases.txt"


def default_state_dir() -> Path:
    """``$XDG_STATE_HOME/tiktok-gift-bot``, else ``~/.local/state/tiktok-gift-bot``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "tiktok-gift-bot"


class KnownDatabases:
    """Absolute paths of the database files created here, one per line."""

    def __init__(self, state_dir: Path) -> None:
        self.file = state_dir / FILE_NAME

    def _paths(self) -> set[str]:
        try:
            return set(self.file.read_text(encoding="utf-8").splitlines())
        except FileNotFoundError:
            return set()

    def knows(self, database: Path) -> bool:
        """Whether the bot created (or opened) a database at this path before."""
        return str(database.resolve()) in self._paths()

    def remember(self, database: Path) -> None:
        """Add the path (atomically: the list is replaced whole, never half-written)."""
        paths = self._paths()
        key = str(database.resolve())
        if key in paths:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(f"{p}\n" for p in sorted(paths | {key}))
        fd, temp = tempfile.mkstemp(dir=self.file.parent, prefix=".databases-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.file)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
