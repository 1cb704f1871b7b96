"""The console's line editing: history kept between sessions, and Tab completion of command
names, option names, fixed choices and the bot's own autocomplete (the same choices Discord
would show).

readline calls the completer on the thread that reads the line while the event loop waits;
the bot's autocomplete runs on the loop and the completer waits for it (briefly).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from discord import app_commands

log = logging.getLogger(__name__)

HISTORY_LINES = 1000
AUTOCOMPLETE_SECONDS = 2.0
META = (":help", ":as ", ":dm", ":server", ":locale ", ":complete ", ":press ", ":quit")


def _quoted(option: str, value: str) -> str:
    """`gift:galaxy`, or `gift:"sports car"` when the value has spaces."""
    return f"{option}:{shlex.quote(value) if (' ' in value or not value) else value}"


class Completer:
    """Completions for a console line, from the bot's command tree and autocomplete."""

    def __init__(
        self,
        tree: app_commands.CommandTree[Any],
        choices: Callable[[str], Coroutine[Any, Any, list[dict[str, Any]]]],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        """`choices(line)`: the bot's autocomplete for the option the line ends in (on `loop`)."""
        self.tree = tree
        self.choices = choices
        self.loop = loop
        self._matches: list[str] = []

    def candidates(self, line: str) -> list[str]:
        """Every way to finish the last word of `line` (call it off the event loop)."""
        if line.startswith(":"):
            return [m for m in META if m.startswith(line)] if " " not in line else []
        words = line.lstrip("/").split(" ")
        current, done = words[-1], [w for w in words[:-1] if w]
        if any(":" in w for w in done) or ":" in current:
            return self._option_candidates(done, current)
        node = self._node([w for w in done if ":" not in w])
        if node is None:
            return []
        if isinstance(node, app_commands.Command):
            return [f"{p.name}:" for p in node.parameters if p.name.startswith(current)]
        children = self.tree.get_commands() if node == "root" else node.commands
        prefix = "/" if node == "root" else ""
        return sorted(
            f"{prefix}{c.name} " for c in children
            if isinstance(c, app_commands.Command | app_commands.Group)
            and c.name.startswith(current)
        )  # fmt: skip

    def _node(self, words: list[str]) -> Any:
        """The tree node the command words name: "root", a group, a command, or None."""
        node: Any = "root"
        for word in words:
            children = (
                self.tree.get_commands() if node == "root" else
                node.commands if isinstance(node, app_commands.Group) else []
            )  # fmt: skip
            node = next((c for c in children if getattr(c, "name", None) == word), None)
            if node is None:
                return None
        return node

    def _option_candidates(self, done: list[str], current: str) -> list[str]:
        command = self._node([w for w in done if ":" not in w])
        if not isinstance(command, app_commands.Command):
            return []
        params = {p.name: p for p in command.parameters}
        given = {w.split(":", 1)[0] for w in done if ":" in w}
        if ":" not in current:
            return [f"{n}:" for n in params if n.startswith(current) and n not in given]
        name, typed = current.split(":", 1)
        param = params.get(name)
        if param is None:
            return []
        if param.choices:
            values = [str(c.value) for c in param.choices]
        elif param.autocomplete:
            values = self._autocomplete(command.qualified_name, name, typed, done)
        else:
            return []
        typed_plain = typed.strip("\"'").casefold()
        return [_quoted(name, v) for v in values if v.casefold().startswith(typed_plain)] or [
            _quoted(name, v) for v in values
        ]

    def _autocomplete(self, path: str, option: str, typed: str, done: list[str]) -> list[str]:
        others = " ".join(w for w in done if ":" in w)
        line = f"/{path} {others} {option}:{typed.strip(chr(34) + chr(39))}".replace("  ", " ")
        future = asyncio.run_coroutine_threadsafe(self.choices(line), self.loop)
        try:
            return [str(choice["value"]) for choice in future.result(AUTOCOMPLETE_SECONDS)]
        except Exception as error:  # a slow or failing autocomplete only costs the completion
            future.cancel()
            log.debug("console completion failed: %r", error)
            return []

    def complete(self, text: str, state: int) -> str | None:
        """The readline completer: `state`-th match for the line typed so far."""
        if state == 0:
            import readline

            line = readline.get_line_buffer()[: readline.get_endidx()]
            self._matches = [m for m in self.candidates(line) if m.startswith(text)]
        return self._matches[state] if state < len(self._matches) else None


def setup_line_editing(completer: Completer, history: Path) -> Callable[[], None]:
    """Turn on history (read from and kept in `history`) and Tab completion; returns the
    function that saves the history (call it on the way out). Nothing when the input is not
    a terminal or readline is missing."""
    try:
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        return lambda: None
    readline.set_completer_delims(" ")
    readline.set_completer(completer.complete)
    readline.parse_and_bind("tab: complete")
    readline.set_history_length(HISTORY_LINES)
    with contextlib.suppress(OSError):
        readline.read_history_file(history)

    def save() -> None:
        with contextlib.suppress(OSError):
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)

    return save
