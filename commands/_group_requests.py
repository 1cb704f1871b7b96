"""Approve / Decline under a member's request to join a group: the group's creator or a
manager decides. The buttons carry the group and the member (`p:grq:<group>:<user>:<a|d>`),
so they work after a restart; a second press finds the request decided and says so."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.client import GiftBot
from bot.context import ask_for
from bot.errors import UserError
from bot.permissions import is_manager
from bot.render import notice
from bot.respond import update
from bot.text import safe
from bot.views import PersistentPress
from commands._tally_render import mention
from economy.storage import Decision

REQUEST_ID = "p:grq:{group}:{user}:{decision}"
_DECISIONS: dict[str, Decision] = {"a": "approved", "d": "declined"}


class RequestButton(
    PersistentPress,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"p:grq:(?P<group>[0-9]{1,19}):(?P<user>[0-9]{1,20}):(?P<decision>[ad])",
):
    """One decision on one member's request to join one group."""

    def __init__(self, group_id: int, user_id: int, decision: str, label: str = "") -> None:
        approve = decision == "a"
        super().__init__(
            discord.ui.Button(
                label=label or ("Approve" if approve else "Decline"),
                style=discord.ButtonStyle.success if approve else discord.ButtonStyle.secondary,
                custom_id=REQUEST_ID.format(group=group_id, user=user_id, decision=decision),
            )
        )
        self.group_id, self.user_id, self.decision = group_id, user_id, _DECISIONS[decision]

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> RequestButton:
        return cls(int(match["group"]), int(match["user"]), match["decision"])

    async def pressed(self, interaction: discord.Interaction[GiftBot]) -> None:
        """Decide, or tell the presser why not."""
        guild_id = interaction.guild_id
        if guild_id is None:
            raise UserError("error.guild_only")
        groups = interaction.client.storage.groups
        group = await groups.get_group_by_id(guild_id, self.group_id)
        if group.creator_id != interaction.user.id and not is_manager(interaction):
            raise UserError("group.not_creator", name=group.name)
        ask = await ask_for(interaction)
        group = await groups.decide_request(guild_id, self.group_id, self.user_id, self.decision)
        key = "group.request.approved" if self.decision == "approved" else "group.request.declined"
        text = ask.t(
            key,
            member=mention(self.user_id),
            name=safe(group.name),
            actor=mention(interaction.user.id),
        )
        await update(interaction, embed=notice(ask, ask.t(f"{key}_title"), text), view=None)


def request_view(group_id: int, user_id: int, approve: str, decline: str) -> discord.ui.View:
    """The Approve and Decline buttons of one request."""
    view = discord.ui.View(timeout=None)
    view.add_item(RequestButton(group_id, user_id, "a", approve))
    view.add_item(RequestButton(group_id, user_id, "d", decline))
    return view
