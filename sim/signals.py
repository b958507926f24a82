"""Ctrl-C (SIGINT) handled one way for a block of code: ``sim.run`` counts it as a stop
request; ``sim.planted.child`` ignores it while the copy carrying planted bugs runs."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from typing import Any

Handler = Callable[[int, Any], None] | int | signal.Handlers


@contextlib.contextmanager
def sigint_handled(handler: Handler) -> Iterator[None]:
    """SIGINT goes to ``handler`` (a function, or ``signal.SIG_IGN``) inside the block, and
    back to what it was after. Off the main thread (a test runner's), where no handler can
    be set, nothing changes."""
    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
