"""Subscriber: the base class of the side effects the controller feeds (logs, animations,
player feeds). Kept in its own module so that those can import it without the controller.
"""

from __future__ import annotations

from typing import Any

from mypy_extensions import mypyc_attr

from sim.engine.state import TableState


@mypyc_attr(allow_interpreted_subclasses=True)
class Subscriber:
    """A side effect kept outside the pure core. The order of subscribers must not matter.

    ``begin`` opens a dispatch with the committed state before it (``action`` is None for
    the table's opening; the state must not be changed), ``on_event``
    sees each event right after it was applied to the draft state, and exactly one of
    ``commit`` (with the committed state) or ``rollback`` closes the dispatch.

    Subclass it and override what you need; each method does nothing by default. A class,
    not a Protocol: compiled, the controller then calls its subscribers directly, where a
    Protocol's methods are looked up by name on every event.
    """

    def begin(self, state: TableState, action: Any) -> None:
        pass

    def on_event(self, state: TableState, event: Any) -> None:
        pass

    def commit(self, state: TableState) -> None:
        pass

    def rollback(self) -> None:
        pass
