"""The invariant registry: named checks run after every dispatch, each when it applies.

An invariant is a small function of a ``CheckContext`` that raises a finding
(``raise fail(name, sentence)``, a ``sim.finding.FindingError``) when the engine broke a
rule. Register one with ``@invariant``, saying when it runs with ``on``, as the family
modules do: ``@invariant("no_negative", "...")`` runs after every dispatch,
``@invariant("awards_correct", "...", on=mask(PotAwarded, HandEnded))`` when one of those
events came, ``@invariant("replay", "...", on=hand_ended)`` when the predicate holds.

    >>> [check.name for check in select(("chip_conservation", "pot_consistency"))]
    ['chip_conservation', 'pot_consistency']
    >>> select(("vibes",))
    Traceback (most recent call last):
    ValueError: Unknown invariant vibes; known invariants are chip_conservation, ...

``on`` is ``EVERY_DISPATCH`` (the default), a mask of event kinds (``mask(...)``: the check
runs when the dispatch produced any of them), or a named predicate ``(ctx, found) -> bool``
for a condition not about event kinds alone (``found`` is the dispatch's mask).

``select(names)`` picks invariants in the order they run; ``run_all(ctx, selected)``
computes the dispatch's event-kind mask once and runs those whose condition holds. The
checks live in family modules (``FAMILIES``), which ``load()`` imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from sim.engine.actions import Action
from sim.engine.animation import Animator
from sim.engine.controller import Controller
from sim.engine.events import EVENT_TYPES, Event
from sim.engine.log import HandRecord, TableLog
from sim.engine.state import TableState
from sim.finding import Finding, FindingError, Message, invariant_failed


class Mode:
    """How much the checks do. ``thorough`` does on every dispatch what the fast default
    does where it matters: animation.play on every frame (not only where hands start and
    end), every seat's view after every dispatch (not only when hole cards are dealt or
    shown), and the brute-force reference evaluator for every contender (not only for
    ties). About twice the cost.

    One instance, ``MODE``, changed in place (``MODE.thorough = True``): compiled, the
    checks read it after every dispatch as a field, not through a module lookup."""

    __slots__ = ("thorough",)

    def __init__(self) -> None:
        self.thorough = False


MODE: Final = Mode()


class CheckContext:
    """What a check may look at after one dispatch.

    ``before`` is the committed state before the dispatch (the controller replaces its
    state object on commit, so this is never mutated), ``state`` the one after.
    ``action`` is None for the table's opening. ``ended`` holds the record of the hand that
    ended during this dispatch, if one did (the last one, when several did).
    ``kinds``, ``walked`` and ``records`` hold what several checks share, computed once per
    context: the events' types (``kinds``), the dispatch replayed event by event and the
    records of the hands that ended (``sim.invariants.walk``).

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
        self.kinds = -1  # a mask of event types, once computed (see kinds)
        self.walked: Any = None  # a sim.invariants.walk.Walk
        self.records: Any = None  # sim.invariants.walk.ended_records, once computed

    def replace(self, **changes: Any) -> CheckContext:
        """A fresh context (nothing shared computed yet) like this one with some fields changed."""
        fields = {name: getattr(self, name) for name in self.FIELDS}
        return CheckContext(**{**fields, **changes})


# -- event kinds ----------------------------------------------------------------------------

# One bit per event type.
KIND_BITS: Final[dict[type, int]] = {
    kind: 1 << index for index, kind in enumerate(EVENT_TYPES.values())}
# A bit no event has, set in every dispatch's mask by run_all: the default ``on``.
EVERY_DISPATCH: Final = 1 << len(EVENT_TYPES)


def mask(*types: type) -> int:
    """The bit mask of ``types``: ``kinds(ctx) & mask(HandEnded)`` is true when one ended."""
    bits = 0
    for kind in types:
        bits |= KIND_BITS[kind]
    return bits


def kinds(ctx: CheckContext) -> int:
    """The types of the events of this dispatch, as a mask (see ``mask``), memoized on the
    context. A mask, not a frozenset: it is tested after every dispatch, and an int's ``&``
    builds nothing."""
    found = ctx.kinds
    if found < 0:
        found = 0
        bits = KIND_BITS
        for event in ctx.events:
            found |= bits[type(event)]
        ctx.kinds = found
    return found


# -- the registry ---------------------------------------------------------------------------

Check = Callable[[CheckContext], None]
# A condition not about event kinds alone: ``(ctx, found)``, ``found`` the dispatch's mask.
Condition = Callable[[CheckContext, int], bool]

# The modules that register invariants, in the order their checks run (see load).
FAMILIES: Final = ("chips", "cards", "turns", "rounds", "blinds", "awards", "views", "replay",
                   "decisions")


@dataclass(frozen=True, slots=True)
class Invariant:
    """A registered check and when it runs: when the dispatch's event-kind mask meets
    ``on`` (``EVERY_DISPATCH`` always does), or else when ``when`` holds."""

    name: str
    description: str
    check: Check
    on: int
    when: Condition | None
    family: str  # the module it is defined in, one of FAMILIES
    frames: bool = False  # it reads the animator's frames (ctx.animator)


INVARIANTS: Final[dict[str, Invariant]] = {}


def invariant(name: str, description: str, on: int | Condition = EVERY_DISPATCH,
              frames: bool = False) -> Callable[[Check], Check]:
    """Register a check under ``name``; ``on`` says when it runs (see the module doc).
    ``frames``: it reads the animator's frames, which a table then records (see
    ``needs_frames``)."""
    def register(check: Check) -> Check:
        assert name not in INVARIANTS, f"invariant {name} registered twice"
        family = check.__module__.rpartition(".")[2]
        assert family in FAMILIES, f"invariant {name} is defined outside the family modules"
        if isinstance(on, int):
            assert on, f"invariant {name} would never run (on=0)"
            INVARIANTS[name] = Invariant(name, description, check, on, None, family, frames)
        else:
            INVARIANTS[name] = Invariant(name, description, check, 0, on, family, frames)
        return check
    return register


def fail(name: str, template: str, **values: Any) -> FindingError:
    """``raise fail("pot_consistency", "Pot {pot} is not {paid}.", pot=40, paid=38)``: the
    engine's fault, not the input's (so not an IllegalAction).

    The sentence is a template and its values (``sim.finding.Message``): every part that
    varies from table to table is a value, so that one bug has one signature. A value may
    be a Message (a judge's reason) whose template then belongs to the shape too."""
    return invariant_failed(name, Message(template, **values))


def seats_text(seats: Sequence[int]) -> str:
    """Seats for a message: ``"1, 4"``, or ``"none"``."""
    return ", ".join(str(s) for s in seats) or "none"


def select(names: Iterable[str] | None) -> list[Invariant]:
    """The invariants to run: all (None), in the order they run, or the named ones in the
    order named; unknown names raise ValueError."""
    load()
    if names is None:
        return list(INVARIANTS.values())
    names = list(names)
    unknown = [n for n in names if n not in INVARIANTS]
    if unknown:
        raise ValueError(f"Unknown invariant {', '.join(unknown)}; known invariants are "
                         f"{', '.join(INVARIANTS)}.")
    return [INVARIANTS[n] for n in names]


def needs_frames(selected: list[Invariant]) -> bool:
    """Does one of ``selected`` read the animator's frames? A table whose checks do not
    records none: the frames cost a tenth of a dispatch with no invariant."""
    for inv in selected:
        if inv.frames:
            return True
    return False


def run_all(ctx: CheckContext, selected: list[Invariant]) -> int:
    """Run the ``selected`` invariants whose condition holds for this dispatch, in order;
    the first violation raises.

    Returns how many were selected: a check skipped by its condition counts as run, as it
    did when each check returned early from its own body, so a table's stored "checks"
    count is the same for the same seed.
    """
    found = kinds(ctx) | EVERY_DISPATCH
    for inv in selected:
        if inv.on & found or (inv.when is not None and inv.when(ctx, found)):
            inv.check(ctx)
    return len(selected)


def every_failure(ctx: CheckContext, selected: list[Invariant]) -> list[Finding]:
    """Every finding of the ``selected`` invariants on this dispatch, not only the first:
    which checks one dispatch breaks together (triage merges the signatures of one bug
    by them). A check that crashes is left out."""
    found = kinds(ctx) | EVERY_DISPATCH
    findings = []
    for inv in selected:
        if inv.on & found or (inv.when is not None and inv.when(ctx, found)):
            try:
                inv.check(ctx)
            except FindingError as error:
                findings.append(error.finding)
            except Exception:  # noqa: BLE001, S112 - a crashing check says nothing here
                continue
    return findings


_ORDERED: Final[list[int]] = [-1]  # how many invariants INVARIANTS held when last ordered


def load() -> None:
    """Import the modules that register invariants (idempotent), and keep ``INVARIANTS``
    in ``FAMILIES`` order whichever of them was imported first. Cheap once done: every
    table calls it (``select``), and a PHH check opens a table per hand."""
    if _ORDERED[0] == len(INVARIANTS):
        return
    import sim.invariants.awards  # noqa: F401
    import sim.invariants.blinds  # noqa: F401
    import sim.invariants.cards  # noqa: F401
    import sim.invariants.chips  # noqa: F401
    import sim.invariants.decisions  # noqa: F401
    import sim.invariants.replay  # noqa: F401
    import sim.invariants.rounds  # noqa: F401
    import sim.invariants.turns  # noqa: F401
    import sim.invariants.views  # noqa: F401
    ordered = sorted(INVARIANTS.values(), key=lambda inv: FAMILIES.index(inv.family))
    if [inv.name for inv in ordered] != list(INVARIANTS):
        INVARIANTS.clear()
        INVARIANTS.update((inv.name, inv) for inv in ordered)
    _ORDERED[0] = len(INVARIANTS)
