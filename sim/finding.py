"""The one kind of finding: everything that can go wrong in a checked table, as one value.

A check that sees a broken rule raises ``FindingError`` (through
``sim.invariants.base.fail``); the checked pipeline adds where it happened (table, hand,
dispatch, traceback) and raises it on; the table player puts the ``Finding`` in its
outcome and its dump; the store keeps it as a row of ``failures``; the report prints it,
and the run's exit code follows from its kind. The same value all the way.

    >>> finding = Finding(Kind.INVARIANT, "pot_consistency", "pot 40 != contributions 38")
    >>> print(finding), finding.kind.exit_code
    pot_consistency: pot 40 != contributions 38
    (None, 1)
    >>> raise FindingError(finding)
    Traceback (most recent call last):
    sim.finding.FindingError: pot_consistency: pot 40 != contributions 38
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any


class Kind(enum.Enum):
    """What went wrong: a closed set. The value is what the store and the dumps keep."""

    INVARIANT = "invariant"  # a named invariant failed: the engine broke a rule
    LIVENESS = "liveness"  # a hand or a table made no progress
    LEGAL_ACTION_REFUSED = "legal_action_refused"  # the engine refused a legal action
    ENGINE_EXCEPTION = "engine_exception"  # the engine raised while dispatching
    CHECK_EXCEPTION = "check_exception"  # an invariant's own code raised (a harness bug)
    WORKER_CRASHED = "worker_crashed"  # the process playing a table died, twice
    BOT_FAULT = "bot_fault"  # a plug-in bot crashed or sent an illegal action: its bug

    @property
    def exit_code(self) -> int:
        """What ``sim run`` (and ``sim fuzz``, ``sim replay``) exit with for this kind."""
        return EXIT_CODES[self]

    @property
    def is_exception(self) -> bool:
        """Something raised: the engine, a check or a worker process."""
        return self.exit_code == 3


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing that went wrong, and where.

    ``name`` is the invariant's name for kinds INVARIANT and LIVENESS, otherwise the name
    the run has always stored for the kind (``engine_exception``, ``legal_action_rejected``,
    ``invariant_crashed``, ``worker_crashed``, ``bot_fault``). ``dispatch`` is the failing
    dispatch's index in its hand (0: the hand's automatic start; None: not in a hand, or
    unknown).
    """

    kind: Kind
    name: str
    message: str
    table_id: int | None = None
    hand_no: int | None = None
    dispatch: int | None = None
    trace: str = ""

    def at(self, **where: Any) -> Finding:
        """This finding with more of where it happened filled in (fields left None stay)."""
        return replace(self, **{k: v for k, v in where.items() if getattr(self, k) in (None, "")})

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "name": self.name, "message": self.message,
                "table_id": self.table_id, "hand_no": self.hand_no, "dispatch": self.dispatch,
                "trace": self.trace}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(Kind(data["kind"]), data["name"], data["message"], data.get("table_id"),
                   data.get("hand_no"), data.get("dispatch"), data.get("trace", ""))

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


# Exit codes: 0 clean, 1 an invariant failed (or a legal action was refused), 2 usage error
# or bad input, 3 the engine or the harness raised (or a worker died), 4 liveness (a hand or
# a table did not end), 130 interrupted. The most severe wins: 3, then 4, then 1.
EXIT_CODES: dict[Kind, int] = {
    Kind.INVARIANT: 1, Kind.LEGAL_ACTION_REFUSED: 1, Kind.LIVENESS: 4,
    Kind.ENGINE_EXCEPTION: 3, Kind.CHECK_EXCEPTION: 3, Kind.WORKER_CRASHED: 3,
    Kind.BOT_FAULT: 3,
}
SEVERITY: tuple[int, ...] = (3, 4, 1)  # most severe first
EXIT_CLEAN, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130


def exit_code(kinds: Iterable[Kind], interrupted: bool = False) -> int:
    """The exit code of a run that found ``kinds``: the most severe kind's, else 130 when
    it was interrupted, else 0."""
    codes = {kind.exit_code for kind in kinds}
    for code in SEVERITY:
        if code in codes:
            return code
    return EXIT_INTERRUPTED if interrupted else EXIT_CLEAN


class FindingError(Exception):
    """Carries a Finding up the stack, from where it was seen to whoever records it."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding

    def __reduce__(self) -> tuple[Any, ...]:
        return (FindingError, (self.finding,))


def invariant_failed(name: str, message: str) -> FindingError:
    """The error a check raises: ``raise invariant_failed("pot_consistency", "...")``.

    The liveness invariant's findings are of kind LIVENESS; every other invariant's are
    INVARIANT."""
    kind = Kind.LIVENESS if name == "liveness" else Kind.INVARIANT
    return FindingError(Finding(kind, name, message))
