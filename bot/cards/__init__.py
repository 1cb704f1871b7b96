"""Pictures for the tallies: cards drawn with Pillow from display-ready data, as PNG bytes.

Inputs are frozen dataclasses of display strings (already formatted in the reader's
language) and fractions; nothing here computes a figure. `render_*` are pure and
synchronous; `render_*_async` run them in a worker process, off the event loop.
"""

from bot.cards.fonts import Fonts, default_fonts, shipped_fonts, system_fonts
from bot.cards.models import (
    CardRow,
    FlowSegment,
    FlowStage,
    GroupCard,
    LeaderboardCard,
    MoneyFlowCard,
    PersonalCard,
    Progress,
    Stat,
)
from bot.cards.render import (
    render_group,
    render_leaderboard,
    render_money_flow,
    render_personal,
)
from bot.cards.worker import (
    CardWorkerError,
    close_worker,
    render_group_async,
    render_leaderboard_async,
    render_money_flow_async,
    render_personal_async,
    warm_up,
)

__all__ = [
    "CardRow",
    "CardWorkerError",
    "FlowSegment",
    "FlowStage",
    "Fonts",
    "GroupCard",
    "LeaderboardCard",
    "MoneyFlowCard",
    "PersonalCard",
    "Progress",
    "Stat",
    "close_worker",
    "default_fonts",
    "render_group",
    "render_group_async",
    "render_leaderboard",
    "render_leaderboard_async",
    "render_money_flow",
    "render_money_flow_async",
    "render_personal",
    "render_personal_async",
    "shipped_fonts",
    "system_fonts",
    "warm_up",
]
