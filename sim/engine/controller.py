"""The controller: the one way to change a table.

``dispatch(action)`` validates, derives the events (a pure generator), applies each one to
a draft of the state and hands it to every subscriber (``internal_dispatch``), then
``commit()``s: either every change lands, or the state is exactly as before.

    >>> from sim.engine.actions import Call, Check
    >>> from sim.engine.state import TableConfig
    >>> table = Controller(TableConfig(seats=2), seed=1,
    ...                    players={0: ("ann", 100), 1: ("bob", 100)})
    >>> table.dispatch(Call(seat=table.state.to_act))
    [Called(seat=0, amount=1), TurnStarted(seat=1)]
    >>> table.dispatch(Check(seat=0))
    Traceback (most recent call last):
    sim.engine.errors.IllegalAction: Seat 0 cannot check: it is seat 1's turn.

To deal a given hand (a replay from outside), give its button and deck by hand number:
``Controller(config, seed, players, setups={1: HandSetup(button=2, deck=deck)},
stop_at_hand_end=True)`` deals hand 1 so and stops when it ends instead of dealing the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sim.engine import rules
from sim.engine.actions import Sit
from sim.engine.apply import apply
from sim.engine.dealer import advance
from sim.engine.events import Event, PlayerSeated
from sim.engine.handsetup import HandSetup
from sim.engine.legal import LegalActions, legal_actions
from sim.engine.state import TableConfig, TableState
from sim.engine.subscriber import Subscriber


class Controller:
    def __init__(self, config: TableConfig, seed: int,
                 players: Mapping[int, tuple[str, int]] | None = None,
                 subscribers: Iterable[Subscriber] = (),
                 setups: Mapping[int, HandSetup] | None = None,
                 stop_at_hand_end: bool = False) -> None:
        self.state = TableState.new(config, seed)
        # Hands dealt as given instead of shuffled, by hand number (see HandSetup).
        values: list[object] = list((setups or {}).values())  # not yet known to be setups
        for setup in values:
            if not isinstance(setup, HandSetup):
                raise TypeError(f"Hand setup {setup!r} is a {type(setup).__name__}; "
                                "give sim.engine.HandSetup values.")
        self.setups: dict[int, HandSetup] = dict(setups or {})
        given: list[object] = list(subscribers)  # not yet known to be Subscribers
        for subscriber in given:
            if not isinstance(subscriber, Subscriber):
                raise TypeError(f"Subscriber {subscriber!r} is a {type(subscriber).__name__}; "
                                "subscribers must subclass sim.engine.Subscriber.")
        self.subscribers = [s for s in given if isinstance(s, Subscriber)]
        self.opening: dict[int, tuple[str, int]] = dict(players or {})
        self.stop_at_hand_end = stop_at_hand_end
        self._legal: LegalActions | None = None
        self._legal_for: TableState | None = None
        if self.opening:
            self.open(self.opening)

    @classmethod
    def resume(cls, snapshot: TableState, subscribers: Iterable[Subscriber] = (),
               stop_at_hand_end: bool = True) -> Controller:
        """A controller that replays a hand from its snapshot (taken after HandStarted).

        It deals the hand from the recorded deck; the first dispatch (posting and dealing)
        has action None. With ``stop_at_hand_end`` it stops when the hand ends instead of
        going on to the next one, as the table did.
        """
        self = cls(snapshot.config, snapshot.table_seed, subscribers=subscribers)
        self.replay_from(snapshot, stop_at_hand_end)
        return self

    def replay_from(self, snapshot: TableState, stop_at_hand_end: bool = True) -> list[Event]:
        """Put this controller at a hand's snapshot and deal the hand from its recorded deck
        (a dispatch with action None); returns its events. See ``resume``."""
        self.state = snapshot.copy()
        self.stop_at_hand_end = stop_at_hand_end
        draft = self.state.copy()
        return self._run(draft, None, advance(draft, stop_at_hand_end))

    # -- the trio: verify, can, dispatch ---------------------------------------------------
    def verify(self, action: Any) -> None:
        """Raise IllegalAction unless ``action`` is legal now."""
        rules.verify(self.state, action, self._cached_legal())

    def can(self, action: Any) -> bool:
        return rules.can(self.state, action, self._cached_legal())

    def dispatch(self, action: Any) -> list[Event]:
        """Carry out ``action`` atomically; return the events it caused."""
        state = self.state
        rules.verify(state, action, self._cached_legal())
        draft = state.copy()
        return self._run(draft, action, rules.derive(draft, action, self.stop_at_hand_end,
                                                     self.setups))

    # -- internals --------------------------------------------------------------------------
    def open(self, players: Mapping[int, tuple[str, int]]) -> list[Event]:
        """Seat the opening players at once (no hand starts half-seated), then deal.

        Called by the constructor when it is given ``players``; the opening is a dispatch
        with action None."""
        probe = self.state.copy()
        for seat in sorted(players):
            name, stack = players[seat]
            rules.verify(probe, Sit(seat, name, stack))
            apply(probe, PlayerSeated(seat, name, stack, waiting=False))
        draft = self.state.copy()

        def opening() -> Iterator[Event]:
            for seat in sorted(players):
                name, stack = players[seat]
                yield PlayerSeated(seat, name, stack, waiting=False)
            yield from advance(draft, self.stop_at_hand_end, self.setups)

        self.opening = dict(players)
        return self._run(draft, None, opening())

    def _run(self, draft: TableState, action: Any, events: Iterator[Event]) -> list[Event]:
        subscribers = self.subscribers
        before = self.state  # equal to draft; the committed object, never mutated
        for subscriber in subscribers:
            subscriber.begin(before, action)
        done: list[Event] = []
        try:
            for event in events:
                self.internal_dispatch(draft, event)
                done.append(event)
        except BaseException:
            for subscriber in subscribers:
                subscriber.rollback()
            raise
        self.commit(draft)
        return done

    def internal_dispatch(self, draft: TableState, event: Event) -> None:
        """Apply one event to the draft and hand it to every subscriber."""
        apply(draft, event)
        for subscriber in self.subscribers:
            subscriber.on_event(draft, event)

    def commit(self, draft: TableState) -> None:
        self.state = draft
        for subscriber in self.subscribers:
            subscriber.commit(draft)

    # -- reading ----------------------------------------------------------------------------
    def _cached_legal(self) -> LegalActions | None:
        """The legal actions already computed for the committed state, if they were."""
        return self._legal if self._legal_for is self.state else None

    def legal_actions(self) -> LegalActions | None:
        """The legal actions of the player to act (computed once per committed state)."""
        if self._legal_for is not self.state:
            self._legal = legal_actions(self.state)
            self._legal_for = self.state
        return self._legal

    def describe(self) -> str:
        return self.state.describe()
