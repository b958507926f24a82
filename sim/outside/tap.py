"""HandTap: hand each finished hand's record to a callback, once its dispatch commits.

A subscriber like any other (``Controller(..., subscribers=[tap])``, or appended to a
running controller's ``subscribers``), so hands reach the callback whoever plays the table:

    >>> tap = HandTap(lambda record: reports.append(compare_hand(record)))
    >>> player = TablePlayer(spec, 200, settings); player.controller.subscribers.append(tap)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.engine.log import HandRecord, TableLog
from sim.engine.state import TableState
from sim.engine.subscriber import Subscriber


class HandTap(Subscriber):
    """Records hands with its own TableLog and passes each finished one to ``callback``
    after the dispatch that finished it commits (a rolled-back dispatch passes none).
    ``keep`` must cover the hands one dispatch can finish (a few at most)."""

    def __init__(self, callback: Callable[[HandRecord], Any], keep: int = 16) -> None:
        self.log = TableLog(keep=keep, keep_actions=False)
        self.callback = callback
        self.passed = 0  # hands finished and handed over

    def begin(self, state: TableState, action: Any) -> None:
        self.log.begin(state, action)

    def on_event(self, state: TableState, event: Any) -> None:
        self.log.on_event(state, event)

    def rollback(self) -> None:
        self.log.rollback()

    def commit(self, state: TableState) -> None:
        self.log.commit(state)
        count = self.log.finished - self.passed
        if count:
            assert count <= len(self.log.hands), f"{count} hands ended in one dispatch"
            self.passed = self.log.finished
            for record in list(self.log.hands)[-count:]:
                self.callback(record)
