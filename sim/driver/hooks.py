"""Table hooks: what the driver and the table player call at fixed points of a table, as the
controller calls its subscribers. Fault injection, oracle sampling, re-runs and watchdogs are
hooks, each in its own module (``sim.hooks``); the driver and the player know only this
interface.

    >>> from sim.driver.drive import drive
    >>> from sim.driver.script import Opening, Script
    >>> from sim.engine import TableConfig
    >>> from sim.engine.actions import Call, Fold
    >>> class CountHands(TableHook):
    ...     hands = 0
    ...     def hand_ended(self, table, record): self.hands += 1
    >>> counter = CountHands()
    >>> script = Script(Opening(TableConfig(seats=2), seed=1,
    ...                         players={0: ("ann", 100), 1: ("bob", 100)}), [Call(0), Fold(1)])
    >>> drive(script, hooks=[counter]).complete, counter.hands
    (True, 1)

The table player takes hooks the same way: ``play_table(spec, hands, settings,
hooks=[CountHands()])``.
"""

from __future__ import annotations

from mypy_extensions import mypyc_attr

from sim.engine.log import HandRecord
from sim.finding import Kind, Message
from sim.invariants.base import CheckContext
from sim.invariants.pipeline import CheckedTable


@mypyc_attr(allow_interpreted_subclasses=True)
class TableHook:
    """Each method does nothing unless overridden. A hook may raise a FindingError (made
    with ``table.found(...)``) to stop the table with a finding, or, from code that runs
    in the middle of anything (a signal handler), an ``Interrupt``."""

    def table_started(self, table_id: int) -> None:
        """Before the table opens."""

    def dispatched(self, table: CheckedTable, ctx: CheckContext) -> None:
        """After each dispatch that committed and passed its checks."""

    def hand_ended(self, table: CheckedTable, record: HandRecord) -> None:
        """After the dispatch that ended ``record``'s hand passed its checks."""

    def counts(self) -> dict[str, int]:
        """Named counts the table's outcome keeps (the store's ``counters`` table)."""
        return {}

    def table_ended(self, table_id: int) -> None:
        """After the table stopped, whatever stopped it (a finding, an Interrupt, the end)."""


class Interrupt(BaseException):
    """A hook stopping a table from inside code that may never return (a watchdog's signal
    handler). A BaseException, so that no ``except Exception`` on the way (the pipeline's,
    an engine's) takes it for an engine exception; the controller rolls back the dispatch
    it interrupts. The table player and the replayer turn it into a finding located at the
    current dispatch."""

    def __init__(self, kind: Kind, name: str, message: Message) -> None:
        super().__init__(f"{name}: {message}")
        self.kind = kind
        self.name = name
        self.message = message
