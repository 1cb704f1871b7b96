"""Benchmarks: `python -m bench [--quick]` prints a table and writes bench/results.json.

Everything is measured in-process through the bot's full interaction path (`bot.offline`:
INTERACTION_CREATE payloads in through discord.py's own parser, HTTP captured), on real
SQLite files in a temporary folder. Nothing touches the network.
"""
