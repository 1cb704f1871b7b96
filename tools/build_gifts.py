"""Build `economy/data/gifts.json` from the dated sources in `economy/data/sources/`.

    python -m tools.build_gifts           rewrite the catalog
    python -m tools.build_gifts --check   exit 1, saying what differs, when the file is stale

`build_document(texts)` is pure: the same source texts always give the same document, and
`render` always formats it the same way (gifts sorted by coins then name, one per line).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from economy.limits import AUTOCOMPLETE_CHOICES
from economy.text import normalise
from tools.gift_drafts import (
    Draft,
    add_aliases,
    make_draft,
    match_facts,
    name_drafts,
    notes,
    region_note,
    streak,
)
from tools.gift_entities import (
    BuildError,
    apply_fixes,
    check_dates,
    extra_entities,
    group_rows,
)
from tools.gift_sources import (
    API_FILE,
    CURATED_FILE,
    ROOT,
    ROWS_FILE,
    Curated,
    SourceTexts,
    parse_api,
    parse_rows,
)

CATALOG_PATH = ROOT / "economy" / "data" / "gifts.json"
MAX_FEATURED = AUTOCOMPLETE_CHOICES  # featured gifts fill the first autocomplete page

RULES = (
    "Coins are what a viewer pays for one gift. Each gift is one TikTok gift id (some gifts "
    "have two ids: TikTok keeps two objects with the same name, price and picture), or one "
    "(name, price) when no source gives an id. A gift's price is the one the newest source "
    "listing it gives; an id a source gives at a price other than the newest source's is a "
    "wrong join in that source and is not used.",
    "status: 'current' when a current list (the US lists of 2025-12-20 and 2026-06-13, the "
    "all-regions lists of 2026-06-13 and 2026-10-05, TikTok's Turkey API list of 2026-06-05) "
    "has the gift; 'not_listed' when only older or spot-check sources do; 'retired' when the "
    "curated overlay says so (never featured).",
    "region: 'us' when a US list has the gift, 'other' when only the all-regions or Turkey "
    "lists do, absent when unknown. US tags come from a third-party site: approximate.",
    "Names: gifts whose TikTok names match (case, spacing and punctuation aside) share that "
    "name. The one a user most likely means keeps it: current first, then on a US list, then "
    "the newer US list, then listed by TikTok's own API, then the newer source. The others "
    "(all of them when that still ties) are called 'Name (N coins)'; tiktok_name keeps "
    "TikTok's spelling. Gifts the 2025-08 catalog shipped keep the name it gave them.",
    "streakable: TikTok's API dump of 2024-01-05 (combo true) where it has the gift "
    "(streak_basis 'tiktok_api_2024'); else the overlay; else TikTok's usual rule, gifts under "
    "100 coins can be sent in a streak ('price_rule'; the 2024 dump breaks it for 7 of its 25 "
    "gifts under 100 coins).",
    "sources lists the source keys (described under 'sources') that have the gift; as_of is "
    "the newest of their dates. The catalog's as_of is the newest date of a current gift.",
    "local_names: Indonesian (id) and Brazilian Portuguese (pt-BR) names in common use, each "
    "with its reference in economy/data/sources/gifts_curated.json. A gift's own name wins "
    "over another gift's local name.",
)


def build_document(texts: SourceTexts) -> dict[str, Any]:
    """The catalog document for `gifts.json`, from the three source texts."""
    curated = Curated.model_validate_json(texts.curated)
    _check_refs(curated)
    infos = curated.sources
    order = list(infos)
    rows = apply_fixes(parse_rows(texts.rows), curated.row_fixes)
    check_dates(rows, infos)
    entities = group_rows(rows, order)
    entities += extra_entities(curated.extra_gifts, entities)
    facts = match_facts(curated.gifts, entities, order)
    drafts = [
        make_draft(entity, facts.get(index), infos, order) for index, entity in enumerate(entities)
    ]
    name_drafts(drafts, infos)
    add_aliases(drafts)
    local = _local_names(drafts, curated)
    api = parse_api(texts.api)
    gifts = [_gift_entry(draft, api, infos, local.get(id(draft))) for draft in drafts]
    gifts.sort(key=lambda g: (g["coins"], g["name"].casefold(), g["name"]))
    featured = _featured(curated, drafts)
    used = sorted({key for draft in drafts for key in draft.sources}, key=order.index)
    current = [d for d in drafts if d.status == "current"]
    return {
        "as_of": max(d.as_of for d in current).isoformat(),
        "source": _describe(len(rows), len(gifts), sum(1 for g in gifts if g["gift_id"])),
        "notes": list(RULES),
        "sources": {key: _source_entry(key, curated) for key in used},
        "featured": featured,
        "gifts": gifts,
    }


def _describe(rows: int, gifts: int, with_ids: int) -> str:
    return (
        f"Built by tools/build_gifts.py from economy/data/sources/: {ROWS_FILE} ({rows:,} rows "
        f"from dated sources, described under 'sources'), {API_FILE} (TikTok's gift API dump: "
        f"streak flags) and {CURATED_FILE} (aliases, local names, featured gifts, retired "
        f"marks, caveats, each with its reference). {gifts:,} gifts, {with_ids:,} with a "
        "TikTok gift id."
    )


def _source_entry(key: str, curated: Curated) -> dict[str, Any]:
    info = curated.sources[key]
    return {
        "as_of": info.as_of.isoformat(),
        "title": info.title,
        "kind": info.kind,
        "region": info.region,
        "current_list": info.current_list,
        "reliability": info.reliability,
    }


def _check_refs(curated: Curated) -> None:
    missing = sorted(curated.refs_used() - set(curated.references))
    if missing:
        raise BuildError(f"curated refs without a reference: {missing}")


def _local_names(drafts: Sequence[Draft], curated: Curated) -> dict[int, dict[str, list[str]]]:
    """Local names by draft; a clash with another gift's own name must be declared."""
    own: dict[str, Draft] = {}
    for draft in drafts:
        for name in (draft.display, draft.tiktok_name, *draft.aliases):
            own.setdefault(normalise(name), draft)
    declared = {(normalise(c.name), c.locale) for c in curated.local_name_clashes}
    clashes: set[tuple[str, str]] = set()
    found: dict[int, dict[str, list[str]]] = {}
    for draft in drafts:
        if draft.facts is None:
            continue
        for locale, names in sorted(draft.facts.local_names.items()):
            for local in names:
                key = normalise(local.name)
                owner = own.get(key)
                if owner is draft:
                    raise BuildError(f"local name {local.name!r} is {draft.display!r}'s own name")
                if owner is not None:
                    if (key, locale) not in declared:
                        raise BuildError(
                            f"local name {local.name!r} ({locale}) of {draft.display!r} is "
                            f"{owner.display!r}'s name: declare it in local_name_clashes"
                        )
                    clashes.add((key, locale))
                found.setdefault(id(draft), {}).setdefault(locale, []).append(local.name)
    stale = sorted(declared - clashes)
    if stale:
        raise BuildError(f"local_name_clashes that no longer clash: {stale}")
    return found


def _featured(curated: Curated, drafts: Sequence[Draft]) -> list[str]:
    by_name = {normalise(d.display): d for d in drafts}
    names = list(curated.featured.names)
    if len(names) > MAX_FEATURED:
        raise BuildError(f"featured: {len(names)} gifts, at most {MAX_FEATURED}")
    for name in names:
        draft = by_name.get(normalise(name))
        if draft is None:
            raise BuildError(f"featured: no gift is called {name!r}")
        if draft.status != "current":
            raise BuildError(f"featured: {name!r} is {draft.status}, not current")
    return [by_name[normalise(name)].display for name in names]


def _gift_entry(
    draft: Draft,
    api: Mapping[int, Any],
    infos: Mapping[str, Any],
    local: dict[str, list[str]] | None,
) -> dict[str, Any]:
    """One gift as `gifts.json` holds it (optional fields only when set)."""
    streakable, basis = streak(draft, api)
    entry: dict[str, Any] = {"name": draft.display}
    if draft.tiktok_name != draft.display:
        entry["tiktok_name"] = draft.tiktok_name
    entry["coins"] = draft.coins
    entry["gift_id"] = draft.ids[0] if draft.ids else None
    if len(draft.ids) > 1:
        entry["other_ids"] = draft.ids[1:]
    entry["status"] = draft.status
    if draft.region is not None:
        entry["region"] = draft.region
    entry["sources"] = draft.sources
    entry["as_of"] = draft.as_of.isoformat()
    entry["streakable"] = streakable
    entry["streak_basis"] = basis
    entry["aliases"] = draft.aliases
    if local:
        entry["local_names"] = local
    note_text = region_note(draft, infos)
    if note_text:
        entry["region_note"] = note_text
    text = notes(draft)
    if text:
        entry["note"] = text
    caveat = draft.facts.caveat if draft.facts is not None else None
    if caveat is not None:
        entry["caveat"] = caveat.model_dump(mode="json", exclude={"ref"}, exclude_none=True)
    return entry


def render(document: dict[str, Any]) -> str:
    """Stable text for `gifts.json`: the header indented, then one gift per line."""
    head = {key: value for key, value in document.items() if key != "gifts"}
    text = json.dumps({**head, "gifts": ["@GIFTS@"]}, ensure_ascii=False, indent=2)
    lines = ",\n".join("    " + json.dumps(g, ensure_ascii=False) for g in document["gifts"])
    return text.replace('    "@GIFTS@"', lines) + "\n"


def _summary(document: dict[str, Any]) -> str:
    gifts = document["gifts"]
    by_status: dict[str, int] = defaultdict(int)
    for gift in gifts:
        by_status[gift["status"]] += 1
    with_ids = sum(1 for g in gifts if g["gift_id"])
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
    return f"{len(gifts)} gifts ({statuses}), {with_ids} with a TikTok gift id"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the catalog, or with `--check` report whether the shipped file is stale."""
    parser = argparse.ArgumentParser(prog="python -m tools.build_gifts", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    parser.add_argument("--output", type=Path, default=CATALOG_PATH, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        document = build_document(SourceTexts.read())
    except BuildError as err:
        print(f"cannot build the gift catalog: {err}", file=sys.stderr)
        return 2
    text = render(document)
    target: Path = args.output
    if args.check:
        shipped = target.read_text(encoding="utf-8") if target.exists() else ""
        if shipped == text:
            print(f"{target.name} is up to date: {_summary(document)}")
            return 0
        diff = difflib.unified_diff(
            shipped.splitlines(), text.splitlines(), "shipped", "built", n=0, lineterm=""
        )
        shown = list(diff)
        print(f"{target.name} is stale; run `make gifts`. Differences:", file=sys.stderr)
        for line in shown[:40]:
            print(line[:200], file=sys.stderr)
        if len(shown) > 40:
            print(f"... and {len(shown) - 40} more diff lines", file=sys.stderr)
        return 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}: {_summary(document)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
