"""The one kind of finding: everything that can go wrong in a checked table, as one value.

A check that sees a broken rule raises ``FindingError`` (through
``sim.invariants.base.fail``); the checked pipeline adds where it happened (table, hand,
dispatch, traceback) and raises it on; the table player puts the ``Finding`` in its
outcome and its dump; the store keeps it as a row of ``failures``; the report prints it,
and the run's exit code follows from its kind (``sim.exits``). The same value all the way.

A finding's message is written as a ``Message``: a template and its values. The sentence
is the template filled in; the finding keeps the template too (its ``shape``), which is
what tells one bug from another (``sim.failures.signature``): whatever varies between two
tables that hit the same bug (numbers, cards, seats, lists of any length) is a value, never
part of the shape.

>>> message = Message("Pot {pot} is not the contributions {paid}.", pot=40, paid=38)
>>> str(message), message.shape
('Pot 40 is not the contributions 38.', 'Pot {pot} is not the contributions {paid}.')
>>> Message("The engine accepted {action} though {why}.", action="Check(seat=1)",
...         why=Message("seat {seat} owes {owed}", seat=1, owed=4)).shape
'The engine accepted {action} though seat {seat} owes {owed}.'
"""

from __future__ import annotations

import enum
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Final

from sim import exits


class Message:
    """A sentence as a template and its values (``str.format`` syntax). A value that is
    itself a Message keeps its own template in the shape (a judge's reason inside a
    check's sentence); any other value is only a place in it."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, **values: Any) -> None:
        self.template = template
        self.values = values

    def __str__(self) -> str:
        return self.template.format_map(
            {k: str(v) if isinstance(v, Message) else v for k, v in self.values.items()})

    def __repr__(self) -> str:
        return f"Message({str(self)!r})"

    @property
    def shape(self) -> str:
        """The template with each plain value's place kept by name and each Message value
        replaced by its own shape."""
        parts = []
        for literal, name, _, _ in string.Formatter().parse(self.template):
            parts.append(literal)
            if name is not None:
                value = self.values.get(name)
                parts.append(value.shape if isinstance(value, Message) else "{" + name + "}")
        return "".join(parts)


class Kind(enum.Enum):
    """What went wrong: a closed set. The value is what the store and the dumps keep."""

    INVARIANT = "invariant"  # a named invariant failed: the engine broke a rule
    LIVENESS = "liveness"  # a hand or a table made no progress
    LEGAL_ACTION_REFUSED = "legal_action_refused"  # the engine refused a legal action
    ENGINE_EXCEPTION = "engine_exception"  # the engine raised while dispatching
    CHECK_EXCEPTION = "check_exception"  # an invariant's own code raised (a harness bug)
    WORKER_CRASHED = "worker_crashed"  # the process playing a table died, twice
    BOT_FAULT = "bot_fault"  # a plug-in bot crashed or sent an illegal action: its bug
    # A property of the run's hands together broke, one no single hand shows (the shuffle
    # is not uniform, tables deal correlated decks): a run-level check (sim.runlevel).
    STATISTICAL = "statistical"

    @property
    def exit_code(self) -> int:
        """What ``sim run`` (and ``sim fuzz``, ``sim replay``) exit with for this kind."""
        return EXIT_CODES[self]

    @property
    def is_exception(self) -> bool:
        """Something raised: the engine, a check or a worker process."""
        return self.exit_code == exits.CRASHED


class Quoted(Message):
    """A sentence from elsewhere whose template is unknown (the engine's refusal, another
    engine's report): its shape is guessed from the text (``guessed_shape``)."""

    __slots__ = ()

    def __init__(self, text: object) -> None:
        super().__init__("{text}", text=str(text))

    @property
    def shape(self) -> str:
        return guessed_shape(self.values["text"])


class Shown(Message):
    """A value in a sentence, written as its ``repr``; its shape is only its type (an
    action's or event's kind, ``Call(…)``), not its fields: ``shown(action)``."""

    __slots__ = ("kind",)

    def __init__(self, value: object) -> None:
        super().__init__("{text}", text=repr(value))
        self.kind = type(value).__name__

    @property
    def shape(self) -> str:
        return f"{self.kind}(…)"


def shown(value: object) -> Shown:
    """``value`` for a sentence: its repr, shaped by its type (see ``Shown``)."""
    return Shown(value)


_CARD: Final = re.compile(r"\b[2-9TJQKA][cdhs]\b")
_PLAYER: Final = re.compile(r"\b[a-z_]+-\d+\b")  # bot names: kind-seat, as the swarm names them
_NUMBER: Final = re.compile(r"-?\d+")
# A bracketed group holding only data (N, C, P, groups already collapsed), and a run of
# one item repeated ("N, N, N", "C C", "(…), (…)").
_DATA_GROUP: Final = re.compile(r"[(\[](?:[NCP…]|[,;: ]|\(…\))*[)\]]")
_REPEAT: Final = re.compile(r"(\(…\)|\b[NCP]\b)(?:,? \1)+")


def guessed_shape(message: str) -> str:
    """The shape of a sentence whose template is not known: ``message`` with cards, player
    names and numbers replaced by C, P and N, and lists of them (which grow with the hand:
    pots, shares, boards) by one element.

    >>> guessed_shape("pot 40 != contributions 38 of seats [1, 4, 5]")
    'pot N != contributions N of seats (…)'
    """
    message = _CARD.sub("C", message)
    message = _PLAYER.sub("P", message)
    message = _NUMBER.sub("N", message)
    for _ in range(32):  # bounded: each pass removes at least one bracket pair or repeat
        collapsed = _REPEAT.sub(r"\1", _DATA_GROUP.sub("(…)", message))
        if collapsed == message:
            break
        message = collapsed
    return message


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing that went wrong, and where.

    ``name`` is the invariant's name for kinds INVARIANT and LIVENESS, otherwise the name
    the run has always stored for the kind (``engine_exception``, ``legal_action_rejected``,
    ``invariant_crashed``, ``worker_crashed``, ``bot_fault``). ``dispatch`` is the failing
    dispatch's index in its hand (0: the hand's automatic start; None: not in a hand, or
    unknown). ``shape`` is the message's template (``Message.shape``); '' for findings
    recorded before findings kept one.
    """

    kind: Kind
    name: str
    message: str
    table_id: int | None = None
    hand_no: int | None = None
    dispatch: int | None = None
    trace: str = ""
    shape: str = ""

    @classmethod
    def of(cls, kind: Kind, name: str, message: Message) -> Finding:
        """A finding whose message is ``message``, its shape kept."""
        return cls(kind, name, str(message), shape=message.shape)

    def at(self, **where: Any) -> Finding:
        """This finding with more of where it happened filled in (fields left None stay)."""
        return replace(self, **{k: v for k, v in where.items() if getattr(self, k) in (None, "")})

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "name": self.name, "message": self.message,
                "shape": self.shape, "table_id": self.table_id, "hand_no": self.hand_no,
                "dispatch": self.dispatch, "trace": self.trace}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(Kind(data["kind"]), data["name"], data["message"], data.get("table_id"),
                   data.get("hand_no"), data.get("dispatch"), data.get("trace", ""),
                   data.get("shape", ""))

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


# What a run exits with for each kind (the codes and what they mean: ``sim.exits``).
EXIT_CODES: dict[Kind, int] = {
    Kind.INVARIANT: exits.FAILED, Kind.LEGAL_ACTION_REFUSED: exits.FAILED,
    Kind.LIVENESS: exits.LIVENESS, Kind.ENGINE_EXCEPTION: exits.CRASHED,
    Kind.CHECK_EXCEPTION: exits.CRASHED, Kind.WORKER_CRASHED: exits.CRASHED,
    Kind.BOT_FAULT: exits.CRASHED, Kind.STATISTICAL: exits.FAILED,
}


def exit_code(kinds: Iterable[Kind], interrupted: bool = False) -> int:
    """The exit code of a run that found ``kinds``: the most severe kind's, else 130 when
    it was interrupted, else 0."""
    return exits.worst((kind.exit_code for kind in kinds), interrupted)


class FindingError(Exception):
    """Carries a Finding up the stack, from where it was seen to whoever records it."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding

    def __reduce__(self) -> tuple[Any, ...]:
        return (FindingError, (self.finding,))


def invariant_failed(name: str, message: Message) -> FindingError:
    """The error a check raises: ``raise invariant_failed("pot_consistency", Message(...))``.

    The liveness invariant's findings are of kind LIVENESS; every other invariant's are
    INVARIANT."""
    kind = Kind.LIVENESS if name == "liveness" else Kind.INVARIANT
    return FindingError(Finding.of(kind, name, message))
