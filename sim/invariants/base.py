"""The invariant registry: named checks run after every dispatch.

An invariant is a small function of a ``CheckContext`` that raises a finding
(``raise fail(name, sentence)``, a ``sim.finding.FindingError``) when the engine broke a
rule. Register one with ``@invariant``:

    >>> @invariant("no_negative_stack", "No stack or bet is ever negative.")
    ... def no_negative_stack(ctx: CheckContext) -> None: ...

``run_all(ctx, names)`` runs the selected ones in registration order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Final

from sim.engine.actions import Action
from sim.engine.animation import Animator
from sim.engine.controller import Controller
from sim.engine.events import Event
from sim.engine.log import HandRecord, TableLog
from sim.engine.state import TableState
from sim.finding import FindingError, invariant_failed


class CheckContext:
    """What a check may look at after one dispatch.

    ``before`` is the committed state before the dispatch (the controller replaces its
    state object on commit, so this is never mutated), ``state`` the one after.
    ``action`` is None for the table's opening. ``ended`` holds the record of the hand that
    ended during this dispatch, if one did (the last one, when several did).
    ``kinds`` and ``walked`` hold what several checks share, computed once per context by
    ``sim.invariants.walk``: the events' types and the dispatch replayed event by event.

    Built per dispatch, so a plain class (see ``sim.engine.record``).
    """

    FIELDS: ClassVar[tuple[str, ...]] = ("controller", "before", "state", "action", "events",
                                         "log", "animator", "ended")

    def __init__(self, controller: Controller, before: TableState, state: TableState,
                 action: Action | None, events: list[Event], log: TableLog,
                 animator: Animator, ended: HandRecord | None) -> None:
        self.controller = controller
        self.before = before
        self.state = state
        self.action = action
        self.events = events
        self.log = log
        self.animator = animator
        self.ended = ended
        self.kinds = -1  # a mask of event types, once computed (see walk.kinds)
        self.walked: Any = None  # a sim.invariants.walk.Walk

    def replace(self, **changes: Any) -> CheckContext:
        """A fresh context (nothing shared computed yet) like this one with some fields changed."""
        fields = {name: getattr(self, name) for name in self.FIELDS}
        return CheckContext(**{**fields, **changes})


Check = Callable[[CheckContext], None]
INVARIANTS: Final[dict[str, Check]] = {}
DESCRIPTIONS: Final[dict[str, str]] = {}


def invariant(name: str, description: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        assert name not in INVARIANTS, f"invariant {name} registered twice"
        INVARIANTS[name] = check
        DESCRIPTIONS[name] = description
        return check
    return register


def fail(name: str, message: str) -> FindingError:
    """``raise fail("pot_consistency", "...")``: the engine's fault, not the input's (so not
    an IllegalAction)."""
    return invariant_failed(name, message)


def select(names: Iterable[str] | None) -> list[tuple[str, Check]]:
    """The checks to run: all (None) or the named ones; unknown names raise ValueError."""
    load()
    if names is None:
        return list(INVARIANTS.items())
    names = list(names)
    unknown = [n for n in names if n not in INVARIANTS]
    if unknown:
        raise ValueError(f"Unknown invariant {', '.join(unknown)}; known invariants are "
                         f"{', '.join(INVARIANTS)}.")
    return [(n, INVARIANTS[n]) for n in names]


def run_all(ctx: CheckContext, checks: list[tuple[str, Check]]) -> int:
    """Run ``checks`` in order; the first violation raises. Returns how many ran."""
    for _, check in checks:
        check(ctx)
    return len(checks)


def load() -> None:
    """Import the modules that register invariants (idempotent)."""
    import sim.invariants.checks  # noqa: F401
    import sim.invariants.decisions  # noqa: F401
