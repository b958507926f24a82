"""The store's rows, built as a table is played: a subscriber of the table's controller.

Action rows are kept as each dispatch commits. A hand's row and its players' result rows
are made when it ends and staged until the table player has checked the dispatch that
ended it (``keep_hands``): a hand that ends in a failing dispatch is not stored as played.

``RowRecorder(table_id=3, bots={0: "random", 1: "nit"})`` is handed to the table
(``CheckedTable(config, seed, subscribers=[rows])``), then ``rows.watch(table.controller)``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sim.engine.actions import Bet, Call, RaiseTo, Sit, SizedAction
from sim.engine.cards import cards_to_str
from sim.engine.controller import Controller
from sim.engine.evaluator import CATEGORIES, evaluate7
from sim.engine.events import (
    BoardDealt,
    CardsMucked,
    CardsShown,
    Event,
    HandEnded,
    HandStarted,
    PotAwarded,
)
from sim.engine.legal import LegalActions
from sim.engine.state import IDLE, STREET_NAMES, TableState, total
from sim.engine.subscriber import Subscriber
from sim.runner.handdata import class_of, hole_name, positions
from sim.store.schema import ActionRow, HandRow, ResultRow

CATEGORY_SHIFT = 24  # evaluate7 keeps the hand's category in bits 24 and up


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
        self.positions = positions(state.order, state.button, state.small_blind_seat,
                                   state.big_blind_seat)
        self.saw_flop: tuple[bool, ...] = ()  # per seat, when the flop was dealt
        # Per seat, from the player's decisions (see RowRecorder._count).
        seats = state.config.seats
        self.vpip = [False] * seats
        self.pfr = [False] * seats
        self.three_bet_chance = [False] * seats
        self.three_bet = [False] * seats
        self.aggressive = [0] * seats
        self.calls = [0] * seats


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
        # Bets and raises so far on the street running, and which street that is.
        self._raises = 0
        self._street = (-1, -1)  # (hand_no, street)
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
        row = self._action = self._action_row(state, action) if action is not None else None
        # begin runs only for an action the engine accepted, and before the events that may
        # end the hand: so the hand's counts include its last action.
        if row is not None and row.raises_before is not None and self._hand is not None:
            self._count(self._hand, row)

    def on_event(self, state: TableState, event: Event) -> None:
        kind = type(event)
        if kind is HandStarted:
            assert isinstance(event, HandStarted)
            self._hand = _Hand(state, event)
            return
        if kind is BoardDealt:
            hand = self._hand
            if hand is not None and not hand.saw_flop:
                hand.saw_flop = tuple(
                    dealt and not folded
                    for dealt, folded in zip(state.dealt, state.folded, strict=True))
        elif kind is PotAwarded:
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
        row = self._action
        if row is not None:
            self.rows.actions.append(row)
            self.seq += 1
            if row.action == "Bet" or row.action == "RaiseTo":
                self._raises += 1
        self._staged.extend(self._ended)
        self._action = None
        self._ended = []

    def _count(self, hand: _Hand, row: ActionRow) -> None:
        """The standard statistics' facts, per player and hand: voluntarily put in chips
        preflop (VPIP), raised preflop (PFR), faced one raise preflop (a 3-bet chance) and
        re-raised it (3-bet); bets and raises, and calls, after the flop."""
        seat, action = row.seat, row.action
        if row.street == "preflop":
            if action == "Call" or action == "Bet" or action == "RaiseTo":
                hand.vpip[seat] = True
                if action != "Call":
                    hand.pfr[seat] = True
            if row.raises_before == 1:
                hand.three_bet_chance[seat] = True
                if action == "RaiseTo":
                    hand.three_bet[seat] = True
        elif action == "Bet" or action == "RaiseTo":
            hand.aggressive[seat] += 1
        elif action == "Call":
            hand.calls[seat] += 1

    def rollback(self) -> None:
        self._action = None
        self._ended = []
        self._hand = self._hand_before

    # -- rows ------------------------------------------------------------------------------
    def _action_row(self, before: TableState, action: Any) -> ActionRow:
        running = before.phase != IDLE
        amount = action.buy_in if type(action) is Sit else (
            action.amount if isinstance(action, SizedAction) else None)
        seat = action.seat
        if type(amount) is not int and amount is not None:
            # Only an engine that accepts junk (a planted bug) lets a non-integer through;
            # the row keeps what the column can hold, the finding the rest.
            amount = int(amount) if type(amount) is bool else None
        legal = None
        on_turn = running and before.to_act == seat
        if self.controller is not None and on_turn:
            legal = self.controller.legal_actions()
        pot = before.pot + total(before.bet) if running else None
        hand = self._hand
        position = hand.positions.get(seat) if hand is not None and running else None
        facing: int | None = None
        raises: int | None = None
        fraction: float | None = None
        if on_turn:
            facing = before.current_bet - before.bet[seat]
            street = (before.hand_no, before.street)
            if street != self._street:
                self._street, self._raises = street, 0
            raises = self._raises
            fraction = _pot_fraction(action, before, seat, facing, pot)
        return new_row(ActionRow, (
            self.table_id, before.hand_no if running else None, self.seq + 1, seat,
            type(action).__name__, amount, STREET_NAMES[before.street] if running else None,
            pot, _legal_count(legal) if legal is not None else None, self.bots.get(seat),
            action.player if type(action) is Sit else None, position, facing, raises,
            fraction))

    def _hand_rows(self, hand: _Hand, final: TableState) -> tuple[HandRow, list[ResultRow]]:
        won = self._won
        row = new_row(HandRow, (
            self.table_id, hand.hand_no, hand.seed, len(hand.order), hand.button,
            hand.small_blind_seat, hand.big_blind_seat, cards_to_str(final.board),
            sum(won.values()), self._pots, ",".join(str(s) for s in sorted(won)),
            self._showdown,
            final.hand_actions, STREET_NAMES[final.street]))
        big_blind = final.config.big_blind
        showdown = self._showdown
        board = final.board
        results = []
        for i, seat in enumerate(hand.order):
            hole = final.hole[seat]
            folded = final.folded[seat]
            final_category = None
            if hole is not None and not folded and len(board) >= 3:
                final_category = CATEGORIES[evaluate7(hole + board) >> CATEGORY_SHIFT]
            results.append(new_row(ResultRow, (
                self.table_id, hand.hand_no, seat, hand.players[i], self.bots.get(seat),
                hand.stacks[i], final.stack[seat], final.stack[seat] - hand.stacks[i],
                bool(final.shown[seat]), won.get(seat, 0),
                hole_name(hole) if hole is not None else None, hand.positions[seat],
                hand.stacks[i] / big_blind, class_of(hole) if hole is not None else None,
                bool(hand.saw_flop) and hand.saw_flop[seat], showdown and not folded,
                final_category, hand.vpip[seat], hand.pfr[seat], hand.three_bet_chance[seat],
                hand.three_bet[seat], hand.aggressive[seat], hand.calls[seat])))
        return row, results


Row = TypeVar("Row", HandRow, ActionRow, ResultRow)


def new_row(kind: type[Row], values: tuple[Any, ...]) -> Row:
    """A row of ``kind`` from its values in column order. A NamedTuple's own constructor
    is Python code (generated, so never compiled): a frame and an argument per column, a
    sixth of the rows' cost by callgrind; ``tuple.__new__`` makes the same tuple in C."""
    assert len(values) == len(kind._fields), f"{len(values)} values for {kind.__name__}"
    return tuple.__new__(kind, values)


def _pot_fraction(action: Any, before: TableState, seat: int, facing: int,
                  pot: int | None) -> float | None:
    """The chips a call, bet or raise adds, as a fraction of the pot before it."""
    kind = type(action)
    if not pot:
        return None
    if kind is Call:
        return min(facing, before.stack[seat]) / pot
    if kind is Bet or kind is RaiseTo:
        return (action.amount - before.bet[seat]) / pot
    return None


def _legal_count(legal: LegalActions) -> int:
    """How many kinds of action were legal (fold, check, call, bet, raise)."""
    return 1 + legal.can_check + legal.can_call + legal.can_bet + legal.can_raise
