"""Console and harness tests draw cards: the worker process is started once for the session."""

from tests.support.cards import card_worker

__all__ = ["card_worker"]
