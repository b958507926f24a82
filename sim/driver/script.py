"""What the driver plays: where play starts, and the logged actions that follow.

A ``Script`` starts either at a fresh table (``Opening``: the players seated at once and
the first hand dealt, shuffled from the seed or as given) or at a logged hand's snapshot
(``Resumed``: the hand dealt again from its recorded deck), then lists the actions to
dispatch, in order. The actions are untrusted: a damaged log may hold anything, and the
driver says what became of each.

    Script(Opening(TableConfig(seats=2), seed=1, players={0: ("ann", 100), 1: ("bob", 100)}),
           [Call(0), Check(1)])
    Script(Resumed(record), record.actions)      # a logged hand, as it was played
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.engine.handsetup import HandSetup
from sim.engine.log import HandRecord
from sim.engine.state import TableConfig


@dataclass(frozen=True, slots=True)
class Opening:
    """A fresh table: ``players`` (seat -> (name, stack)) sit down at once and the first
    hand is dealt; hands listed in ``setups`` (by hand number) are dealt as given. With
    ``stop_at_hand_end`` the table deals no hand after the one that ends."""

    config: TableConfig
    seed: int
    players: Mapping[int, tuple[str, int]]
    setups: Mapping[int, HandSetup] | None = None
    stop_at_hand_end: bool = False


@dataclass(frozen=True, slots=True)
class Resumed:
    """A logged hand's snapshot (taken right after the hand started): dispatch 0 posts and
    deals it again from its recorded deck. With ``stop_at_hand_end`` the table stops when
    the hand ends instead of dealing the next one."""

    record: HandRecord
    stop_at_hand_end: bool = True


Start = Opening | Resumed


@dataclass(frozen=True, slots=True)
class Script:
    """Where play starts and the actions to dispatch after it, in order."""

    start: Start
    actions: Sequence[Any]

    @property
    def config(self) -> TableConfig:
        start = self.start
        return start.config if isinstance(start, Opening) else start.record.snapshot.config
