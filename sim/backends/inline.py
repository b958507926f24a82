"""``--workers 1`` and tests: every task in the main process, one after another."""

from __future__ import annotations

from sim.backends.base import (
    Backend,
    CrashedRecord,
    Deliver,
    PlayTask,
    StopRequest,
    Task,
    set_stop_event,
    settle_gc,
)
from sim.runner import RunSettings


class InlineBackend(Backend):
    name = "inline"
    workers = 1

    def play(self, settings: RunSettings, tasks: list[Task], play_task: PlayTask,
             crashed_record: CrashedRecord, deliver: Deliver, stop: StopRequest) -> None:
        set_stop_event(stop)  # play_task asks it between hands, as a worker asks its event
        settle_gc()
        try:
            for task in tasks:
                if stop.is_set():
                    break
                deliver(play_task(settings, task))
        finally:
            set_stop_event(None)
