"""Every bound the bot enforces, in one place: whoever checks, stores or shows a limit imports it.

The storage enforces the same numbers inside its writes (CHECK constraints and guarded
statements), so a bound holds whichever code path writes.
"""

from __future__ import annotations

from decimal import Decimal

MAX_COUNT = 1_000_000  # gifts in one tally entry or one question
MAX_AMOUNT = 10**12  # coins, diamonds or views in one question or one entry
MAX_CONVERT = 10**15  # money to convert: computed prices in rupiah pass 10^12
MIN_GOAL_USD = Decimal("0.01")
MAX_GIFT_COINS = 1_000_000  # a server's custom gift
MAX_CUSTOM_GIFTS = 100  # custom gifts per server
MAX_NAME_LENGTH = 32  # group and custom gift names
MAX_QUERY_LENGTH = 100  # a typed gift name (Discord's longest option value)
MAX_PAGE = 100  # rows one storage read may return
AUTOCOMPLETE_CHOICES = 25  # Discord shows at most 25
MAX_GROUPS = 200  # groups per server
MAX_GROUPS_PER_CREATOR = 10  # groups one member may have created (and not deleted)
MAX_GROUP_MEMBERS = 500  # members per group
MAX_JOIN_REQUESTS = 100  # pending requests per group
MAX_TIKTOK_NAME_LENGTH = 32  # a gifter typed as a TikTok name
UNDO_WINDOW_SECONDS = 15 * 60  # an Undo button works this long after the entry
MAX_MEMBER_DIAMONDS = 10**13  # a member's all-time diamonds (the storage refuses more)
MAX_BALANCE = 10**18  # diamonds any payout values: a whole group's sum fits
MAX_THRESHOLD_ROLES = 10  # roles a server gives at diamond thresholds
MAX_GOALS = 1_000  # goals per server (one per member or group)
POST_BOARD_SIZE = 10  # rows of each leaderboard in a period's post
POST_NEWCOMERS = 5  # newcomers a period's post names (it counts them all)
