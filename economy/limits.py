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
