"""The store's rows, built as a table is played: a subscriber of the table's controller.

Action rows are kept as each dispatch commits. A hand's row and its players' result rows
are made when it ends and staged until the table player has checked the dispatch that
ended it (``keep_hands``): a hand that ends in a failing dispatch is not stored as played.

    >>> rows = RowRecorder(table_id=3, bots={0: "random", 1: "nit"})
    >>> table = CheckedTable(config, seed, subscribers=[rows]); rows.watch(table.controller)
"""

from __future__ import annotations

from typing import Any

from sim.engine.actions import Sit, SizedAction
from sim.engine.cards import cards_to_str
from sim.engine.controller import Controller
from sim.engine.events import CardsMucked, CardsShown, Event, HandEnded, HandStarted, PotAwarded
from sim.engine.legal import LegalActions
from sim.engine.state import IDLE, STREET_NAMES, TableState, total
from sim.engine.subscriber import Subscriber
from sim.store.schema import ActionRow, HandRow, ResultRow


class Rows:
    """A table's rows for the store, by table."""

    def __init__(self) -> None:
        self.hands: list[HandRow] = []
        self.actions: list[ActionRow] = []
        self.results: list[ResultRow] = []


class _Hand:
    """What a hand's rows need from its start, taken when HandStarted is applied."""

    def __init__(self, state: TableState, event: HandStarted) -> None:
        self.hand_no = state.hand_no
        self.seed = event.seed
        self.order = state.order
        self.button = state.button
        self.small_blind_seat = state.small_blind_seat
        self.big_blind_seat = state.big_blind_seat
        self.players = [state.player[seat] for seat in state.order]
        self.stacks = [state.stack[seat] for seat in state.order]


class RowRecorder(Subscriber):
    """Subscriber: the rows of hands, actions and results of one table (``rows``)."""

    def __init__(self, table_id: int, bots: dict[int, str]) -> None:
        self.table_id = table_id
        self.bots = bots  # seat -> bot kind
        self.rows = Rows()
        self.controller: Controller | None = None
        self.seq = 0  # per-table action sequence number, the replay order in the store
        self._action: ActionRow | None = None  # this dispatch's, until it commits
        self._hand: _Hand | None = None  # the hand running
        self._hand_before: _Hand | None = None  # ... when this dispatch began
        # Pots awarded and cards shown in this dispatch: a hand's showdown, awards and end
        # come in the one dispatch that ends it.
        self._won: dict[int, int] = {}
        self._pots = 0
        self._showdown = False
        self._ended: list[tuple[HandRow, list[ResultRow]]] = []  # this dispatch's
        self._staged: list[tuple[HandRow, list[ResultRow]]] = []  # committed, not yet checked

    def watch(self, controller: Controller) -> None:
        """The controller whose legal actions each action row counts."""
        self.controller = controller

    def keep_hands(self, last_hand_no: int) -> int:
        """Keep the staged hands numbered up to ``last_hand_no`` (the table's target: one
        dispatch may end a hand past it); returns how many were kept."""
        kept = 0
        for hand, results in self._staged:
            if hand.hand_no <= last_hand_no:
                self.rows.hands.append(hand)
                self.rows.results.extend(results)
                kept += 1
        self._staged.clear()
        return kept

    # -- the subscriber ------------------------------------------------------------------
    def begin(self, state: TableState, action: Any) -> None:
        self._ended = []
        self._hand_before = self._hand
        self._won = {}
        self._pots = 0
        self._showdown = False
        self._action = self._action_row(state, action) if action is not None else None

    def on_event(self, state: TableState, event: Event) -> None:
        kind = type(event)
        if kind is HandStarted:
            assert isinstance(event, HandStarted)
            self._hand = _Hand(state, event)
            return
        if kind is PotAwarded:
            assert isinstance(event, PotAwarded)
            self._pots += 1
            for seat, chips in event.shares:
                self._won[seat] = self._won.get(seat, 0) + chips
        elif kind is CardsShown or kind is CardsMucked:
            self._showdown = True
        elif kind is HandEnded and self._hand is not None:
            self._ended.append(self._hand_rows(self._hand, state))
            self._hand = None
            self._won = {}
            self._pots = 0
            self._showdown = False

    def commit(self, state: TableState) -> None:
        if self._action is not None:
            self.rows.actions.append(self._action)
            self.seq += 1
        self._staged.extend(self._ended)
        self._action = None
        self._ended = []

    def rollback(self) -> None:
        self._action = None
        self._ended = []
        self._hand = self._hand_before

    # -- rows ------------------------------------------------------------------------------
    def _action_row(self, before: TableState, action: Any) -> ActionRow:
        running = before.phase != IDLE
        amount = action.buy_in if type(action) is Sit else (
            action.amount if isinstance(action, SizedAction) else None)
        if type(amount) is not int and amount is not None:
            # Only an engine that accepts junk (a planted bug) lets a non-integer through;
            # the row keeps what the column can hold, the finding the rest.
            amount = int(amount) if type(amount) is bool else None
        legal = None
        if self.controller is not None and before.to_act == action.seat:
            legal = self.controller.legal_actions()
        return ActionRow(
            self.table_id, before.hand_no if running else None, self.seq + 1, action.seat,
            type(action).__name__, amount, STREET_NAMES[before.street] if running else None,
            before.pot + total(before.bet) if running else None,
            _legal_count(legal) if legal is not None else None, self.bots.get(action.seat),
            action.player if type(action) is Sit else None)

    def _hand_rows(self, hand: _Hand, final: TableState) -> tuple[HandRow, list[ResultRow]]:
        won = self._won
        row = HandRow(
            self.table_id, hand.hand_no, hand.seed, len(hand.order), hand.button,
            hand.small_blind_seat, hand.big_blind_seat, cards_to_str(final.board),
            sum(won.values()), self._pots, ",".join(str(s) for s in sorted(won)),
            self._showdown,
            final.hand_actions, STREET_NAMES[final.street])
        results = [
            ResultRow(self.table_id, hand.hand_no, seat, hand.players[i], self.bots.get(seat),
                      hand.stacks[i], final.stack[seat], final.stack[seat] - hand.stacks[i],
                      bool(final.shown[seat]), won.get(seat, 0))
            for i, seat in enumerate(hand.order)]
        return row, results


def _legal_count(legal: LegalActions) -> int:
    """How many kinds of action were legal (fold, check, call, bet, raise)."""
    return 1 + legal.can_check + legal.can_call + legal.can_bet + legal.can_raise
