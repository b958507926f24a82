"""A second engine as a live oracle: replay a finished hand in PokerKit and compare.

``compare_hand(record)`` deals the hand of a ``HandRecord`` again in PokerKit 0.7.7 (the
``oracle`` extra) with the same players in the same positions, the same stacks, blinds,
ante and cards, plays the same betting actions, and compares at every decision the legal
options (check, call amount, smallest and largest bet or raise-to) and, at the end, the
final stacks.

Where PokerKit follows a different rule on purpose (RULES.md lists them), the comparison
is masked by name (``MASKS``). A mask is chosen from the situation (who posted what, who
has acted, who is all-in, how a pot was split), never from the numbers differing. Masks
in ``ENDING`` end the hand's comparison (what follows is no longer the same hand in both
engines); the others leave out only the part of the comparison they name.

    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.actions import Call, Fold
    >>> from sim.engine.log import TableLog
    >>> log = TableLog(keep=4)
    >>> table = Controller(TableConfig(seats=2), seed=1,
    ...                    players={0: ("ann", 100), 1: ("bob", 100)}, subscribers=[log])
    >>> events = table.dispatch(Call(seat=0)), table.dispatch(Fold(seat=1))
    >>> report = compare_hand(log.last_hand)
    >>> report.differences, report.masks, report.complete   # [] when PokerKit agrees
    ([], {}, True)

The first unmasked difference also ends the hand's comparison: later ones would follow
from it. Dispatch numbers are the record's step indices (0 is the automatic start of the
hand), the numbering of ``sim replay --to``.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from sim.engine.log import HandRecord
from sim.outside.pokerkit_replay import ENDING, MASKS, Replay
from sim.reports.tables import plural

__all__ = ["ENDING", "MASKS", "OracleReport", "OracleTally", "OracleUnavailable",
           "compare_hand", "require_pokerkit"]

MISSING: Final = "--oracle needs the oracle extra: pip install 'sim[oracle]'"


class OracleUnavailable(RuntimeError):
    """PokerKit is not installed (the ``oracle`` extra)."""


def require_pokerkit() -> Any:
    """The pokerkit module, imported on first use; a one-line error without it."""
    try:
        import pokerkit
    except ImportError as error:
        raise OracleUnavailable(MISSING) from error
    return pokerkit


@dataclass(frozen=True, slots=True)
class OracleReport:
    """What comparing one hand found.

    ``decisions``: decisions whose legal options were compared. ``masks``: mask name ->
    times it applied. ``differences``: unmasked differences, each a sentence naming the
    dispatch, what we said and what PokerKit said (at most one: it ends the comparison).
    ``complete``: the hand was compared to its end, final stacks included.
    """

    hand_no: int
    decisions: int
    masks: dict[str, int]
    differences: list[str]
    complete: bool

    @property
    def agrees(self) -> bool:
        return not self.differences


@dataclass(slots=True)
class OracleTally:
    """Reports of many hands added up. ``tally.add(compare_hand(record))``."""

    hands: int = 0
    complete: int = 0
    decisions: int = 0
    masks: Counter[str] = field(default_factory=Counter)
    differences: list[str] = field(default_factory=list)  # "hand N: ..."

    def add(self, report: OracleReport, where: str = "") -> None:
        self.hands += 1
        self.complete += report.complete
        self.decisions += report.decisions
        self.masks.update(report.masks)
        prefix = where or f"hand {report.hand_no}"
        self.differences.extend(f"{prefix}: {d}" for d in report.differences)

    def summary(self) -> str:
        masks = ", ".join(f"{n} {c}" for n, c in sorted(self.masks.items())) or "none"
        return (f"{plural(self.hands, 'hand')} compared ({self.complete} to the end), "
                f"{plural(self.decisions, 'decision')}, "
                f"{plural(len(self.differences), 'unmasked difference')}; masks: {masks}")


def compare_hand(record: HandRecord) -> OracleReport:
    """Replay the finished hand ``record`` in PokerKit and compare (see the module doc)."""
    pokerkit = require_pokerkit()
    if not record.ended:
        raise ValueError(f"Hand {record.hand_no} has not ended; the oracle compares "
                         "finished hands only.")
    # PokerKit shuffles and draws with the global random module: leave it as it was.
    saved = random.getstate()
    try:
        replay = Replay(record, pokerkit)
        replay.run()
    finally:
        random.setstate(saved)
    return OracleReport(record.hand_no, replay.decisions, dict(replay.masks),
                        replay.differences, not replay.stopped)
