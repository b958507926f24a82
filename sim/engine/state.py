"""The table model: the mutable state that events are applied to.

The state is a struct of per-seat sequences rather than a list of seat objects because the
controller copies it once per dispatch (that copy is what makes a dispatch atomic), and
copying a few short lists is far cheaper than copying ten objects. Only what betting
changes (stacks, bets, contributions, the level each seat acted at) is a list, copied per
dispatch; the fields that change a few times a hand (who sits where, status, cards, folds,
pending requests, board, burns, pots) are tuples, shared between copies and replaced
whole by ``apply`` when they change.
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.config import TableConfig

# Seat status.
EMPTY: Final = 0
PLAYING: Final = 1
SITTING_OUT: Final = 2
WAITING: Final = 3
STATUS_NAMES: Final = ("empty", "playing", "sitting out", "waiting for the big blind")
# Pending between-hands status change.
NO_CHANGE: Final = 0
GO_OUT: Final = 1
GO_IN: Final = 2
# Table phase.
IDLE: Final = 0
STARTED: Final = 1
BETTING: Final = 2
PHASE_NAMES: Final = ("idle", "started", "betting")
PREFLOP: Final = 0
FLOP: Final = 1
TURN: Final = 2
RIVER: Final = 3
STREET_NAMES: Final = ("preflop", "flop", "turn", "river")
NOT_ACTED: Final = -1


# Per-seat fields: the lists, copied on every dispatch, and the tuples, shared.
SEAT_LISTS: Final = ("stack", "bet", "contrib", "acted_level")
SEAT_TUPLES: Final = ("player", "status", "dealt", "folded", "hole", "shown", "pending_status",
                      "pending_leave", "pending_rebuy", "will_post", "missed_bb")
SEAT_FIELDS: Final = (*SEAT_LISTS, *SEAT_TUPLES)
SCALAR_FIELDS: Final = ("table_seed", "hand_no", "hand_seed", "phase", "button", "small_blind_seat",
                 "big_blind_seat", "street", "current_bet", "min_raise", "last_actor", "to_act",
                 "last_aggressor", "deck_pos", "pot", "chips_in", "chips_out", "hand_actions")
TUPLE_FIELDS: Final = ("order", "posters", "deck", "board", "burnt")
FIELDS: Final = ("config", *SEAT_FIELDS, *SCALAR_FIELDS, *TUPLE_FIELDS, "pots")


class TableState:
    """Everything about one table at one moment. Mutated only by ``apply``."""

    __slots__ = FIELDS

    config: TableConfig
    stack: list[int]
    bet: list[int]  # this street, still in front of the player
    contrib: list[int]  # this hand, bets included
    acted_level: list[int]  # the bet level when the player last acted this street
    player: tuple[str | None, ...]
    status: tuple[int, ...]
    dealt: tuple[bool, ...]
    folded: tuple[bool, ...]
    hole: tuple[tuple[int, ...] | None, ...]
    shown: tuple[bool, ...]
    pending_status: tuple[int, ...]
    pending_leave: tuple[bool, ...]
    pending_rebuy: tuple[int, ...]
    will_post: tuple[bool, ...]
    missed_bb: tuple[bool, ...]
    table_seed: int
    hand_no: int
    hand_seed: int
    phase: int
    button: int | None
    small_blind_seat: int | None
    big_blind_seat: int | None
    street: int
    current_bet: int
    min_raise: int  # the last full raise increment, at least the big blind
    last_actor: int | None
    to_act: int | None
    last_aggressor: int | None
    deck_pos: int
    pot: int  # chips in the middle (collected bets and antes), not yet awarded
    chips_in: int
    chips_out: int
    hand_actions: int
    order: tuple[int, ...]
    posters: tuple[int, ...]
    deck: tuple[int, ...]
    board: tuple[int, ...]
    burnt: tuple[int, ...]
    pots: tuple[tuple[int, tuple[int, ...]], ...]  # structure at the last collection

    @classmethod
    def new(cls, config: TableConfig, table_seed: int) -> TableState:
        s = cls()
        n = config.seats
        s.config = config
        s.stack, s.bet, s.contrib = [0] * n, [0] * n, [0] * n
        s.acted_level = [NOT_ACTED] * n
        s.player = (None,) * n
        s.hole = (None,) * n
        s.status = s.pending_status = s.pending_rebuy = (0,) * n
        s.dealt = s.folded = s.shown = s.pending_leave = s.will_post = s.missed_bb = (False,) * n
        s.table_seed = table_seed
        for name in ("hand_no", "hand_seed", "street", "current_bet", "deck_pos", "pot", "chips_in",
                     "chips_out", "hand_actions"):
            setattr(s, name, 0)
        s.phase = IDLE
        s.min_raise = config.big_blind
        for name in ("button", "small_blind_seat", "big_blind_seat", "last_actor", "to_act",
                     "last_aggressor"):
            setattr(s, name, None)
        s.order = s.posters = s.deck = s.board = s.burnt = ()
        s.pots = ()
        return s

    def copy(self) -> TableState:
        # Written out field by field: this runs once per dispatch. Tuples are shared.
        s = TableState()
        s.config = self.config
        s.stack = self.stack[:]
        s.bet = self.bet[:]
        s.contrib = self.contrib[:]
        s.acted_level = self.acted_level[:]
        s.player = self.player
        s.status = self.status
        s.dealt = self.dealt
        s.folded = self.folded
        s.hole = self.hole
        s.shown = self.shown
        s.pending_status = self.pending_status
        s.pending_leave = self.pending_leave
        s.pending_rebuy = self.pending_rebuy
        s.will_post = self.will_post
        s.missed_bb = self.missed_bb
        s.table_seed = self.table_seed
        s.hand_no = self.hand_no
        s.hand_seed = self.hand_seed
        s.phase = self.phase
        s.button = self.button
        s.small_blind_seat = self.small_blind_seat
        s.big_blind_seat = self.big_blind_seat
        s.street = self.street
        s.current_bet = self.current_bet
        s.min_raise = self.min_raise
        s.last_actor = self.last_actor
        s.to_act = self.to_act
        s.last_aggressor = self.last_aggressor
        s.deck_pos = self.deck_pos
        s.pot = self.pot
        s.chips_in = self.chips_in
        s.chips_out = self.chips_out
        s.hand_actions = self.hand_actions
        s.order, s.posters, s.deck = self.order, self.posters, self.deck
        s.board, s.burnt, s.pots = self.board, self.burnt, self.pots
        return s

    # -- serialization -------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """A JSON-able dict of the whole state; ``TableState.from_snapshot`` inverts it."""
        out: dict[str, Any] = {"config": self.config.to_dict()}
        for name in SEAT_FIELDS:
            out[name] = list(getattr(self, name))
        out["hole"] = [list(cards) if cards is not None else None for cards in self.hole]
        for name in SCALAR_FIELDS:
            out[name] = getattr(self, name)
        for name in TUPLE_FIELDS:
            out[name] = list(getattr(self, name))
        out["pots"] = [[amount, list(eligible)] for amount, eligible in self.pots]
        return out

    @classmethod
    def from_snapshot(cls, data: dict[str, Any], checked: bool = True) -> TableState:
        """The state ``data`` (a ``snapshot()``) describes. A snapshot read back from a
        file is input: every field is checked first, and a ValueError names the first
        that is not what a table could hold. ``checked=False`` trusts a snapshot this
        harness just took of a live table (a broken engine's state included: a replay's
        states up to its finding)."""
        if checked:
            check_snapshot(data)
        s = cls()
        s.config = TableConfig(**data["config"])
        for name in SEAT_LISTS:
            setattr(s, name, list(data[name]))
        for name in SEAT_TUPLES:
            setattr(s, name, tuple([tuple(v) if isinstance(v, list) else v for v in data[name]]))
        for name in SCALAR_FIELDS:
            setattr(s, name, data[name])
        for name in TUPLE_FIELDS:
            setattr(s, name, tuple(data[name]))
        s.pots = tuple([(amount, tuple(eligible)) for amount, eligible in data["pots"]])
        return s

    def __eq__(self, other: object) -> bool:
        # Written out field by field: the replay check compares states at every hand's end.
        if not isinstance(other, TableState):
            return NotImplemented
        o = other
        return (self.config == o.config and self.player == o.player and self.stack == o.stack
                and self.status == o.status and self.dealt == o.dealt
                and self.folded == o.folded and self.bet == o.bet and self.contrib == o.contrib
                and self.hole == o.hole and self.acted_level == o.acted_level
                and self.shown == o.shown and self.pending_status == o.pending_status
                and self.pending_leave == o.pending_leave
                and self.pending_rebuy == o.pending_rebuy and self.will_post == o.will_post
                and self.missed_bb == o.missed_bb and self.table_seed == o.table_seed
                and self.hand_no == o.hand_no and self.hand_seed == o.hand_seed
                and self.phase == o.phase and self.button == o.button
                and self.small_blind_seat == o.small_blind_seat
                and self.big_blind_seat == o.big_blind_seat and self.street == o.street
                and self.current_bet == o.current_bet and self.min_raise == o.min_raise
                and self.last_actor == o.last_actor and self.to_act == o.to_act
                and self.last_aggressor == o.last_aggressor and self.deck_pos == o.deck_pos
                and self.pot == o.pot and self.chips_in == o.chips_in
                and self.chips_out == o.chips_out and self.hand_actions == o.hand_actions
                and self.order == o.order and self.posters == o.posters
                and self.deck == o.deck and self.board == o.board and self.burnt == o.burnt
                and self.pots == o.pots)

    # -- derived facts -------------------------------------------------------------------
    def in_hand(self, seat: int) -> bool:
        """Dealt into the running hand and not folded."""
        return self.phase != IDLE and self.dealt[seat] and not self.folded[seat]

    def table_chips(self) -> int:
        """Every chip at the table; always equals chips_in - chips_out."""
        return total(self.stack) + total(self.bet) + self.pot

    def describe(self) -> str:
        from sim.engine.describe import describe_table

        return describe_table(self)

    def __repr__(self) -> str:
        return f"<TableState hand {self.hand_no} {PHASE_NAMES[self.phase]} to_act={self.to_act}>"


def check_snapshot(data: Any) -> None:
    """Raise ValueError naming the first field of snapshot ``data`` that no table could
    hold (a wrong type, a seat, card or status out of range); the checks that follow
    from the rules (chips add up, ...) are the invariants'."""
    if type(data) is not dict:
        raise ValueError(f"a table snapshot is an object, not {type(data).__name__}")
    missing = [name for name in FIELDS if name not in data]
    if missing:
        raise ValueError(f"the table snapshot has no {', '.join(missing)}")
    config = data["config"]
    if type(config) is not dict:
        raise ValueError("the table snapshot's config is not an object")
    n = TableConfig(**config).seats
    seat = _seat_in(n)
    for name, judge in _SNAPSHOT_SEATS.items():
        values = data[name]
        if type(values) is not list or len(values) != n:
            raise ValueError(f"the table snapshot's {name} is not a list of {n} seats")
        for value in values:
            if not judge(value):
                raise ValueError(f"the table snapshot's {name} holds {value!r:.40}, which "
                                 "no seat can")
    for name in SCALAR_FIELDS:
        value = data[name]
        ok = seat(value) if name in _SEAT_SCALARS else _natural(value)
        if ok and name in _SCALAR_RANGES:
            ok = value < _SCALAR_RANGES[name]
        if not ok:
            raise ValueError(f"the table snapshot's {name} is {value!r:.40}, which no table "
                             "can have")
    # Types and ranges only: what a replay could not even run. Whether the cards are all
    # different, say, is for the invariants to judge when it replays (a buggy engine's dump
    # holds what that engine did, and is no less a true record of it).
    for name in TUPLE_FIELDS:
        values = data[name]
        judge = seat if name in ("order", "posters") else _card
        if type(values) is not list or not all(judge(v) for v in values):
            raise ValueError(f"the table snapshot's {name} is {values!r:.60}, which is not "
                             "a list of " + ("seats" if judge is seat else "cards"))
    if data["deck"] and len(data["deck"]) != 52:
        raise ValueError("the table snapshot's deck does not hold 52 cards")
    pots = data["pots"]
    if type(pots) is not list or not all(
            type(pot) is list and len(pot) == 2 and _natural(pot[0])
            and type(pot[1]) is list and all(seat(x) for x in pot[1]) for pot in pots):
        raise ValueError(f"the table snapshot's pots are {pots!r:.60}, not [[chips, [seats]]]")


def _natural(value: Any) -> bool:
    return type(value) is int and value >= 0


def _card(value: Any) -> bool:
    return type(value) is int and 0 <= value < 52


def _seat_in(n: int) -> Any:
    return lambda value: value is None or (type(value) is int and 0 <= value < n)


def _hole(value: Any) -> bool:
    return value is None or (type(value) is list and len(value) == 2 and _card(value[0])
                             and _card(value[1]))


def _flag(value: Any) -> bool:
    return type(value) is bool


_SNAPSHOT_SEATS: Final[dict[str, Any]] = {
    "stack": _natural, "bet": _natural, "contrib": _natural,
    "acted_level": lambda v: type(v) is int and v >= NOT_ACTED,
    "player": lambda v: v is None or (type(v) is str and bool(v.strip())),
    "status": lambda v: type(v) is int and EMPTY <= v <= WAITING,
    "dealt": _flag, "folded": _flag, "hole": _hole, "shown": _flag,
    "pending_status": lambda v: type(v) is int and NO_CHANGE <= v <= GO_IN,
    "pending_leave": _flag, "pending_rebuy": _natural, "will_post": _flag,
    "missed_bb": _flag,
}
_SEAT_SCALARS: Final = frozenset({"button", "small_blind_seat", "big_blind_seat",
                                  "last_actor", "to_act", "last_aggressor"})
_SCALAR_RANGES: Final[dict[str, int]] = {"phase": BETTING + 1, "street": RIVER + 1,
                                         "deck_pos": 53}


def clockwise(seats: list[int], first: int, n: int) -> list[int]:
    """The distinct ``seats`` (of a table of ``n``) in clockwise order, starting at seat
    ``first``: ``sorted(seats, key=lambda s: (s - first) % n)`` without calling a key
    function per seat through Python."""
    present = [False] * n
    for seat in seats:
        present[seat] = True
    return [(first + k) % n for k in range(n) if present[(first + k) % n]]


def total(values: list[int]) -> int:
    """``sum(values)`` as a compiled loop: compiled code calls the builtin ``sum`` through
    Python's calling convention, and chip totals are taken several times per dispatch."""
    result = 0
    for value in values:
        result += value
    return result
