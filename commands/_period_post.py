"""The end of a week or a month: the period's post (its leaderboard card and a short summary),
the top gifter and top receiver roles moved, and the manager told when something is missing.

`close_due_periods` runs from the bot's background task every minute, and from tests with a
chosen `now`. Each period is claimed in the database first (one process, once); the claim's
transaction also reads everything the post says.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import discord
from babel.dates import format_date

from bot.access import Problem, channel_problems, describe, encode, refused
from bot.cards import render_leaderboard_async
from bot.client import GiftBot
from bot.context import Ask, ask_for_server
from bot.render import answer, notice
from commands._roles import Rotation, rotate_roles
from commands._tally_cards import board_card, people_pictures, picture, show_in
from commands._tally_render import board_label, board_line, entry_what, gifter_label, mention
from economy.money import babel_locale
from economy.storage import By, LeaderboardRow, PeriodReport, Schedule, period_end, period_start

log = logging.getLogger(__name__)


def period_name(ask: Ask, key: str) -> str:
    """`Nov 16 – Nov 22, 2026` for a week, `November 2026` for a month."""
    start = period_start(key).date()
    if key.startswith("M"):
        return str(format_date(start, format="LLLL y", locale=babel_locale(ask.locale)))
    last = (period_end(key) - timedelta(days=1)).date()
    return f"{ask.date(start)} – {ask.date(last)}"


def board_lines(ask: Ask, rows: tuple[LeaderboardRow, ...], by: By) -> str:
    return "\n".join(board_line(ask, row, by) for row in rows)


def summary(ask: Ask, report: PeriodReport) -> str:
    """Totals, the biggest gift, the newcomers."""
    lines = [
        ask.t(
            "posts.totals",
            plural=report.entries,
            diamonds=ask.number(report.diamonds),
            entries=ask.number(report.entries),
            coins=ask.number(report.coins),
        )
    ]
    biggest = report.biggest
    if biggest is not None:
        what = entry_what(ask, biggest.gift_name, biggest.count)
        key = "posts.biggest_from" if biggest.gifter else "posts.biggest"
        gifter = gifter_label(ask, biggest.gifter) if biggest.gifter else ""
        lines.append(
            ask.t(
                key,
                what=what,
                member=mention(biggest.recipient_id),
                gifter=gifter,
                diamonds=ask.number(biggest.diamonds),
            )
        )
    for rows, count, key in (
        (report.new_receivers, report.new_receiver_count, "posts.new_receivers"),
        (report.new_gifters, report.new_gifter_count, "posts.new_gifters"),
    ):
        if count:
            names = ", ".join(board_label(ask, row) for row in rows)
            more = count - len(rows)
            if more > 0:
                names += " " + ask.t("posts.and_more", count=ask.number(more))
            lines.append(ask.t(key, count=ask.number(count), names=names))
    return "\n".join(lines)


def post_embed(ask: Ask, report: PeriodReport) -> discord.Embed:
    title = ask.t(f"posts.title_{report.schedule.kind}", period=period_name(ask, report.period_key))
    embed = answer(ask, title, summary(ask, report))
    embed.add_field(
        name=ask.t("posts.top_receivers"),
        value=board_lines(ask, report.receivers, "received") or "-",
        inline=False,
    )
    if report.gifters:
        embed.add_field(
            name=ask.t("posts.top_gifters"),
            value=board_lines(ask, report.gifters, "gifted"),
            inline=False,
        )
    return embed


async def send_post(bot: GiftBot, ask: Ask, report: PeriodReport, channel_id: int) -> int:
    """Post the period's summary and card; the message's id."""
    embed = post_embed(ask, report)
    people = [row.user_id for row in report.receivers if row.user_id is not None]
    names, pictures = await people_pictures(bot, report.schedule.guild_id, people)
    title = embed.title or ""
    card = board_card(ask, title, "received", report.receivers, None, 0, names, pictures)
    file = await picture(render_leaderboard_async, card, "leaderboard.png", ask.t("card.alt_board"))
    show_in(embed, file)
    channel = bot.get_partial_messageable(channel_id, guild_id=report.schedule.guild_id)
    files = [file] if file is not None else []
    none = discord.AllowedMentions.none()
    message = await channel.send(embed=embed, files=files, allowed_mentions=none)
    return int(message.id)


async def tell_manager(
    bot: GiftBot, ask: Ask, schedule: Schedule, period: str, problems: list[Problem]
) -> None:
    """A direct message to the manager who set the schedule: what is missing, and how to
    start it again."""
    embed = notice(
        ask,
        ask.t("posts.failed_title", period=period),
        describe(problems, ask.locale) + "\n\n" + ask.t(f"posts.failed_fix_{schedule.kind}"),
    )
    try:
        dm = await bot.http.start_private_message(schedule.manager_id)
        await bot.get_partial_messageable(int(dm["id"])).send(embed=embed)
    except discord.HTTPException as error:
        log.warning(
            "Could not tell manager %s of server %s about a failed %s: %s",
            schedule.manager_id, schedule.guild_id, schedule.kind, error,
        )  # fmt: skip


async def close_period(bot: GiftBot, report: PeriodReport) -> str:
    """Post, rotate and record a claimed period; its outcome (`posted`, `quiet`: nothing was
    recorded, or the server turned leaderboards off; `failed`)."""
    schedule = report.schedule
    ask = await ask_for_server(bot, schedule.guild_id, schedule.locale)
    problems: list[Problem] = []
    message_id = None
    settings = ask.profile.settings
    boards_on = settings is None or settings.leaderboard_enabled
    outcome = "posted" if report.entries and boards_on else "quiet"
    if schedule.channel_id is not None and outcome == "posted":
        guild = bot.get_guild(schedule.guild_id)
        problems = channel_problems(guild, schedule.channel_id) if guild is not None else []
        if not problems:
            try:
                message_id = await send_post(bot, ask, report, schedule.channel_id)
            except discord.HTTPException as error:
                problems = [refused(error, channel_id=schedule.channel_id)]
    rotation = await rotate_roles(bot, report) if schedule.role_ids else Rotation()
    problems += rotation.problems
    failure = encode(problems) if problems else None
    await bot.storage.community.finish_period(
        schedule.guild_id, schedule.kind, report.period_key,
        outcome="failed" if problems else outcome, message_id=message_id,
        holders=rotation.holders, failure=failure,
    )  # fmt: skip
    if problems:
        await tell_manager(bot, ask, schedule, period_name(ask, report.period_key), problems)
        return "failed"
    return outcome


async def close_due_periods(bot: GiftBot, now: datetime | None = None) -> list[str]:
    """Every period that has ended and is not posted yet, claimed and closed; the outcomes."""
    community = bot.storage.community
    outcomes = []
    for due in await community.due_periods(now):
        report = await community.claim_period(due.guild_id, due.kind, due.period_key, now)
        if report is None:
            continue  # another process has it
        try:
            outcomes.append(await close_period(bot, report))
        except Exception:
            log.exception("Closing %s of server %s failed", due.period_key, due.guild_id)
    return outcomes
