"""The action and event log: a subscriber that records every hand so it replays on its own.

Each hand's record starts with a snapshot of the table taken right after ``HandStarted``
(seats, stacks, button, the full deck order) and then lists the actions dispatched during
the hand with the events each caused. The table's whole action history is kept too, so a
table replays from its opening. The JSON form is versioned; older versions are upcast on
load, never edited.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Final

from sim.engine.actions import Action, action_from_dict, action_to_dict
from sim.engine.events import Event, HandEnded, HandStarted, event_from_dict, event_to_dict
from sim.engine.state import TableState
from sim.engine.subscriber import Subscriber

FORMAT: Final = "sim.hand"
VERSION: Final = 1
# Upcasters: UPCASTERS[v] turns a version-v document into a version-(v + 1) one.
UPCASTERS: Final[dict[int, Any]] = {}


@dataclass(slots=True)
class HandRecord:
    """One hand: the opening snapshot, then per dispatch the action and its events.

    ``steps[0]`` has action None: the automatic events after HandStarted (posting, dealing).
    ``events`` lists every event of the hand, from HandStarted to HandEnded.
    """

    hand_no: int
    snapshot: TableState  # a private copy, serialized only when the record is
    started: HandStarted
    steps: list[tuple[Action | None, list[Event]]] = field(default_factory=list)
    final: TableState | None = None  # the state at HandEnded

    @property
    def events(self) -> list[Event]:
        events: list[Event] = [self.started]
        for _, step in self.steps:  # a loop, not a generator: compiled, several times faster
            events.extend(step)
        return events

    @property
    def actions(self) -> list[Action]:
        return [action for action, _ in self.steps[1:] if action is not None]

    @property
    def ended(self) -> bool:
        return self.final is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "hand_no": self.hand_no,
            "snapshot": self.snapshot.snapshot(),
            "actions": [action_to_dict(a) for a in self.actions],
            "events": [[event_to_dict(e) for e in events] for _, events in self.steps],
            "started": event_to_dict(self.started),
            "final": self.final.snapshot() if self.final is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HandRecord:
        data = upcast(data)
        actions: list[Action | None] = [None]
        actions += [action_from_dict(a) for a in data["actions"]]
        steps = [(action, [event_from_dict(e) for e in events])
                 for action, events in zip(actions, data["events"], strict=False)]
        started = event_from_dict(data["started"])
        assert isinstance(started, HandStarted)
        final = TableState.from_snapshot(data["final"]) if data["final"] else None
        return cls(data["hand_no"], TableState.from_snapshot(data["snapshot"]), started,
                   steps=steps, final=final)


class UnknownFormat(ValueError):
    """A document of another format, or of a version this code does not read."""


def upcast(data: Any, kind: str = FORMAT, version: int = VERSION,
           upcasters: dict[int, Any] = UPCASTERS, what: str = "hand log") -> dict[str, Any]:
    """Bring a stored document of format ``kind`` up to ``version`` (without editing the
    input): ``upcasters[v]`` turns a version-v document into a version-(v + 1) one. Every
    versioned document (a hand log, a failure dump) is read through here; a document of
    another format or of a version this code does not read raises ValueError saying so."""
    if not isinstance(data, dict) or data.get("format") != kind:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise UnknownFormat(f"Not a {what}: found {found!r}, expected an object with format "
                            f"{kind!r}.")
    have = data.get("version")
    if type(have) is not int or not 1 <= have <= version:
        raise UnknownFormat(f"{what.capitalize()} version {have!r} is not supported; this "
                            f"harness reads versions 1 to {version}.")
    while have < version:
        data = upcasters[have](data)
        have = data["version"]
    return data


class TableLog(Subscriber):
    """Subscriber: the table's action history and its recent hands.

    ``keep`` bounds how many finished hands stay in memory (a fuzz run plays millions).
    ``actions`` is the whole table's action history unless ``keep_actions`` is False.
    """

    def __init__(self, keep: int = 8, keep_actions: bool = True) -> None:
        self.hands: deque[HandRecord] = deque(maxlen=keep)
        self.current: HandRecord | None = None
        self.actions: list[Action] = []
        self.keep_actions = keep_actions
        self.finished = 0  # hands finished since the table opened
        self._mark: tuple[Any, ...] = ()
        # The finished hands as they were before the first hand that ended in this
        # dispatch (None: none ended), for rollback: copied then, not at every begin.
        self._hands_before: list[HandRecord] | None = None
        self._step: list[Event] | None = None

    def resume(self, record: HandRecord) -> None:
        """Start recording ``record``'s hand again from its snapshot (for replays)."""
        self.current = HandRecord(record.hand_no, record.snapshot.copy(), record.started)

    def begin(self, state: TableState, action: Action | None) -> None:
        current = self.current
        self._mark = (current, len(current.steps) if current else 0, self.finished,
                      current.final if current else None, len(self.actions))
        self._hands_before = None
        if action is not None and self.keep_actions:
            self.actions.append(action)
        if current is not None and not current.ended:
            self._step = []
            current.steps.append((action, self._step))
        else:
            self._step = None

    def on_event(self, state: TableState, event: Event) -> None:
        kind = type(event)
        if kind is HandStarted:
            assert isinstance(event, HandStarted)
            self.current = HandRecord(state.hand_no, state.copy(), event)
            self._step = []
            self.current.steps.append((None, self._step))
            return
        current = self.current
        if current is None or current.final is not None:
            return
        assert self._step is not None
        self._step.append(event)
        if kind is HandEnded:
            current.final = state.copy()
            if self._hands_before is None:
                self._hands_before = list(self.hands)
            self.hands.append(current)
            self.finished += 1
            self._step = None

    def commit(self, state: TableState) -> None:
        self._mark = ()
        self._hands_before = None

    def rollback(self) -> None:
        current, steps, finished, final, actions = self._mark
        del self.actions[actions:]
        self.current = current
        if current is not None:
            del current.steps[steps:]
            current.final = final
        if self._hands_before is not None:
            self.hands.clear()
            self.hands.extend(self._hands_before)
            self._hands_before = None
        self.finished = finished

    @property
    def last_hand(self) -> HandRecord | None:
        return self.hands[-1] if self.hands else None
