"""What a card shows: display strings already formatted for the reader, and fractions.

A card never computes a figure. Every number arrives as text in the reader's language
(`"12.345 💎"`, `"R$ 1.234,56"`); the only numbers are fractions in [0, 1] that size bars
(values outside are clamped, NaN counts as 0) and ranks that pick a medal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CardRow:
    """One person on a leaderboard or in a group.

    `rank` picks the medal (1-3) and is shown as plain digits unless `rank_text` gives it
    formatted (e.g. "1.234"). `fraction` is this row's bar relative to the top value (the
    top row has 1.0). `avatar_png` may be PNG, JPEG, WebP or GIF bytes, or None; bad bytes
    fall back to an initial-letter circle. `detail_text` is an optional second, muted line
    under the value (e.g. "12 gifts"). `highlight` marks the reader's own row.
    """

    rank: int
    name: str
    value_text: str
    fraction: float
    avatar_png: bytes | None = None
    detail_text: str = ""
    highlight: bool = False
    rank_text: str = ""


@dataclass(frozen=True)
class LeaderboardCard:
    """Top members by a measure: a header, up to 25 rows, and a footer.

    `pinned` is the reader's own row when it is not among `rows` (drawn under a divider,
    after `pinned_label`, e.g. "Your rank"); `empty_text` is shown when `rows` is empty.
    """

    title: str
    subtitle: str
    rows: tuple[CardRow, ...]
    footer: str
    pinned: CardRow | None = None
    pinned_label: str = ""
    empty_text: str = ""


@dataclass(frozen=True)
class Stat:
    """One tile: a label over a big value, with an optional muted note under it."""

    label: str
    value_text: str
    note: str = ""


@dataclass(frozen=True)
class Progress:
    """A labelled bar: `fraction` of the way to something (1.0 = reached).

    `value_text` sits at the right of the label (e.g. "$32.10 of $50.00"); `note` under the
    bar (e.g. "17,800 💎 to go").
    """

    label: str
    value_text: str
    fraction: float
    note: str = ""


@dataclass(frozen=True)
class PersonalCard:
    """One member's tally: who, totals per period, and progress bars.

    Typical `stats`: this week, this month, all time. Typical `progress`: to the minimum
    withdrawal, to the member's goal.
    """

    title: str
    name: str
    subtitle: str
    stats: tuple[Stat, ...]
    progress: tuple[Progress, ...]
    footer: str
    avatar_png: bytes | None = None


@dataclass(frozen=True)
class GroupCard:
    """A team or agency: its totals (members, diamonds...), its goal, and its top members."""

    title: str
    subtitle: str
    stats: tuple[Stat, ...]
    goal: Progress | None
    rows: tuple[CardRow, ...]
    footer: str
    rows_label: str = ""


@dataclass(frozen=True)
class FlowSegment:
    """One part of what the viewer paid, e.g. "App store fee", "$4.61", "30%".

    `fraction` is its share of the whole bar; `share_text` is that share for people.
    """

    label: str
    value_text: str
    fraction: float
    share_text: str = ""


@dataclass(frozen=True)
class FlowStage:
    """One step of the money's path, e.g. "Coins" / "1,000"."""

    label: str
    value_text: str


@dataclass(frozen=True)
class MoneyFlowCard:
    """Where the viewer's money goes.

    `stages` is the path, left to right (store price -> coins -> diamonds -> cash-out), drawn
    as chips with arrows. `segments` split the price into a proportional horizontal bar
    (e.g. store fee, TikTok's share, agency, creator's cash-out), labelled underneath.
    """

    title: str
    subtitle: str
    total_label: str
    total_text: str
    stages: tuple[FlowStage, ...]
    segments: tuple[FlowSegment, ...]
    footer: str
