"""How a goal reads, in an embed field and as a card's progress bar (shared by /tally show,
/group show, /tally goal and the cards)."""

from __future__ import annotations

import discord

from bot.cards import Progress
from bot.context import Ask
from bot.render import progress_bar
from economy.tally_goals import GoalProgress


def goal_title(ask: Ask, progress: GoalProgress) -> str:
    """`Goal: 50,000 diamonds` or `Goal: take home $50.00`."""
    target = progress.target_money
    if target is None:
        return ask.t(
            "goal.title_diamonds",
            plural=progress.target_diamonds,
            diamonds=ask.number(progress.target_diamonds),
        )
    return ask.t("goal.title_money", amount=ask.money(target.amount, target.currency))


def goal_value(ask: Ask, progress: GoalProgress) -> str:
    """What is done of what it takes: `12,000 of 50,000 diamonds`."""
    done, target = ask.number(progress.diamonds), ask.number(progress.target_diamonds)
    if progress.money is None or progress.target_money is None:
        return ask.t(
            "goal.value_diamonds", plural=progress.target_diamonds, diamonds=done, target=target
        )
    return ask.t(
        "goal.value_money",
        money=ask.money(progress.money.amount, progress.money.currency),
        amount=ask.money(progress.target_money.amount, progress.target_money.currency),
    )


def goal_status(ask: Ask, progress: GoalProgress) -> str:
    """`38,000 diamonds to go · by Dec 31, 2026 (36 days left)`, or `Reached!`."""
    if progress.reached:
        return ask.t("goal.reached")
    parts = [ask.t("goal.to_go", plural=progress.to_go, diamonds=ask.number(progress.to_go))]
    due, days = progress.goal.due_on, progress.days_left
    if due is not None and days is not None:
        if days > 0:
            parts.append(
                ask.t("goal.due_in", plural=days, date=ask.date(due), days=ask.number(days))
            )
        elif days == 0:
            parts.append(ask.t("goal.due_today"))
        else:
            parts.append(ask.t("goal.due_passed", date=ask.date(due)))
    return " · ".join(parts)


def add_goal_field(ask: Ask, embed: discord.Embed, progress: GoalProgress | None) -> None:
    """The goal as a field with a text bar; nothing when there is no goal."""
    if progress is None:
        return
    embed.add_field(
        name=goal_title(ask, progress),
        value=f"`{progress_bar(progress.fraction)}`\n{goal_value(ask, progress)}\n"
        f"{goal_status(ask, progress)}",
        inline=False,
    )


def goal_bar(ask: Ask, progress: GoalProgress) -> Progress:
    """The goal as a card's progress bar."""
    return Progress(
        goal_title(ask, progress),
        goal_value(ask, progress),
        float(progress.fraction),
        goal_status(ask, progress),
    )
