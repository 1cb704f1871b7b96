"""Logging to stdout with timestamps; secrets are masked in everything a line shows.

The masking runs on the final text of each line (message, exception and traceback, stack),
so a secret inside an exception's text is caught too. Besides the known secrets (the token),
it masks the shapes of Discord credentials whatever their value: interaction tokens and the
token part of webhook and interaction URLs.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
REDACTED = "[redacted]"
_CREDENTIAL_SHAPES = (
    # the token part of /webhooks/<id>/<token> and /interactions/<id>/<token>
    (re.compile(r"((?:webhooks|interactions)/\d+/)[^/\s'\"?]+"), rf"\1{REDACTED}"),
    # interaction tokens start with base64("interaction:")
    (re.compile(r"aW50ZXJhY3Rpb246[A-Za-z0-9_\-.=]+"), REDACTED),
)


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every known secret and every credential-shaped string masked."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    for shape, replacement in _CREDENTIAL_SHAPES:
        text = shape.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual, then masks secrets in the whole text."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Send every log line to stdout, once, with the secrets masked."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(RedactingFormatter(FORMAT, secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("discord.http").setLevel(max(logging.INFO, root.level))
