"""Build `economy/data/lookalikes.json`: characters that look like an ASCII letter or digit.

    python -m tools.build_lookalikes           rewrite the table
    python -m tools.build_lookalikes --check   exit 1 when the shipped table is stale

The source is Unicode's confusables data (UTS #39) as packaged by `confusable_homoglyphs`
(a development dependency; the bot only reads the JSON this writes). A character maps to the
ASCII letter or digit it can be mistaken for ("а" Cyrillic -> "a", "Ο" Greek -> "o"), which
lets names that only look alike be told apart from names that are different.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from importlib import metadata, resources
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "economy" / "data" / "lookalikes.json"


def _ascii_twin(homoglyphs: list[dict[str, str]]) -> str | None:
    twins = sorted(
        {h["c"].casefold() for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()}
        & set("abcdefghijklmnopqrstuvwxyz0123456789")
    )
    return twins[0] if twins else None


def build() -> dict[str, object]:
    """The table from the installed confusables data (deterministic)."""
    data = json.loads(
        (resources.files("confusable_homoglyphs") / "confusables.json").read_text("utf-8")
    )
    table: dict[str, str] = {}
    for char, homoglyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        folded = unicodedata.normalize("NFKC", char).casefold()
        if len(folded) == 1 and folded.isascii():
            continue  # NFKC and case folding already make it ASCII
        twin = _ascii_twin(homoglyphs)
        if twin is not None:
            table[char] = twin
    version = metadata.version("confusable_homoglyphs")
    return {
        "source": f"Unicode confusables (UTS #39), as packaged by confusable_homoglyphs {version}",
        "map": dict(sorted(table.items())),
    }


def render(document: dict[str, object]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_lookalikes")
    parser.add_argument("--check", action="store_true", help="exit 1 when the table is stale")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run python -m tools.build_lookalikes", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
