"""``--workers 1`` and tests: every task in the main process, one after another.

No other process watches it: the hand watchdog interrupts a slow hand here as in any
worker, but a hang it cannot interrupt (a builtin or compiled loop that never returns to
the interpreter) hangs the run, since the main process cannot kill itself. The pool and
Dask catch those (``sim.backends.hangs``).
"""

from __future__ import annotations

from sim.backends.base import (
    Backend,
    CrashedRecord,
    Deliver,
    PlayTask,
    StopRequest,
    Tasks,
    set_stop_event,
    settle_gc,
)
from sim.runner import RunSettings


class InlineBackend(Backend):
    name = "inline"
    workers = 1

    def play(self, settings: RunSettings, tasks: Tasks, play_task: PlayTask,
             crashed_record: CrashedRecord, deliver: Deliver, stop: StopRequest) -> None:
        set_stop_event(stop)  # play_task asks it between hands, as a worker asks its event
        settle_gc()
        try:
            while not stop.is_set() and (task := tasks.take()) is not None:
                deliver(play_task(settings, task))
            # Every task taken was delivered, so a source had all it could wait for.
            assert stop.is_set() or tasks.finished(), "a task source waits for nothing"
        finally:
            set_stop_event(None)
