"""Actions: the players' vocabulary, and the stable, logged source of truth.

Every action names the seat it comes from. Amounts are whole chips; ``RaiseTo.amount``
is the player's total for the street, not the increment.

    >>> action_from_dict({"type": "RaiseTo", "seat": 2, "amount": 40})
    RaiseTo(seat=2, amount=40)

An action is untrusted input: building one accepts any values (``Bet(1, "ten")``), and
``rules.verify`` judges them when it is dispatched, with a sentence that says what is
allowed. Actions are ``Record``s (read-only fields when compiled, equality, hashing,
``repr``, pickling): bots build one per turn and the engine reads its fields often.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

from sim.engine.config import MAX_CHIPS
from sim.engine.errors import IllegalAction
from sim.engine.record import Record


class ActionBase(Record):
    """Every action: it names its seat (the base of all actions, so that compiled code
    reads ``seat`` directly from any of them). Most actions name nothing else."""

    FIELDS: ClassVar[tuple[str, ...]] = ("seat",)

    def __init__(self, seat: Any) -> None:
        self.seat: Final[Any] = seat

    def values(self) -> tuple[Any, ...]:
        return (self.seat,)


class SizedAction(ActionBase):
    """An action with a seat and an amount of chips."""

    FIELDS: ClassVar[tuple[str, ...]] = ("seat", "amount")

    def __init__(self, seat: Any, amount: Any) -> None:
        super().__init__(seat)
        self.amount: Final[Any] = amount

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.amount)


class Sit(ActionBase):
    FIELDS: ClassVar[tuple[str, ...]] = ("seat", "player", "buy_in")

    def __init__(self, seat: Any, player: Any, buy_in: Any) -> None:
        super().__init__(seat)
        self.player: Final[Any] = player
        self.buy_in: Final[Any] = buy_in

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.player, self.buy_in)


class Leave(ActionBase):
    pass


class SitOut(ActionBase):
    pass


class SitIn(ActionBase):
    pass


class Rebuy(SizedAction):
    pass


class Post(ActionBase):
    """A player waiting for the big blind posts one big blind (live) at the next hand."""


class Fold(ActionBase):
    pass


class Check(ActionBase):
    pass


class Call(ActionBase):
    pass


class Bet(SizedAction):
    pass


class RaiseTo(SizedAction):
    """``amount`` is the player's total bet for the street, not the increment."""


class Timeout(ActionBase):
    pass


Action = Sit | Leave | SitOut | SitIn | Rebuy | Post | Fold | Check | Call | Bet | RaiseTo | Timeout

ACTION_TYPES: Final[dict[str, Any]] = {
    cls.__name__: cls
    for cls in (Sit, Leave, SitOut, SitIn, Rebuy, Post, Fold, Check, Call, Bet, RaiseTo, Timeout)
}
ACTION_CLASSES: Final = frozenset(ACTION_TYPES.values())
# The actions taken in turn during a hand (the others are requests about the seat), for
# ``type(action) in BETTING_CLASSES``: compiled, isinstance() with a tuple is a generic call.
BETTING_CLASSES: Final = frozenset({Fold, Check, Call, Bet, RaiseTo, Timeout})


def malformed(action: Any, seats: int) -> str:
    """Why no table of ``seats`` seats could ever have logged ``action`` (a phrase), or ''.

    Malformed is what no state makes legal: not an action, a seat that is not one of the
    table's, an amount that is not a whole number of chips from 1 to ``MAX_CHIPS``, a
    player name that is not a name. (A raise below the minimum is illegal, not malformed.)
    """
    if type(action) not in ACTION_CLASSES:
        return f"{action!r} is not an action"
    seat = action.seat
    if type(seat) is not int or not 0 <= seat < seats:
        return f"seat {seat!r} is not a seat of a table of {seats}"
    if isinstance(action, SizedAction) and not _chips(action.amount):
        return f"an amount of {action.amount!r} is not 1 to {MAX_CHIPS} chips"
    if isinstance(action, Sit):
        if type(action.player) is not str or not action.player.strip():
            return f"{action.player!r} is not a player name"
        if not _chips(action.buy_in):
            return f"a buy-in of {action.buy_in!r} is not 1 to {MAX_CHIPS} chips"
    return ""


def _chips(value: Any) -> bool:
    return type(value) is int and 0 < value <= MAX_CHIPS


def action_to_dict(action: Action) -> dict[str, Any]:
    """``{"type": "Bet", "seat": 1, "amount": 4}``; the logged form of an action."""
    out: dict[str, Any] = {"type": type(action).__name__}
    out.update(zip(action.FIELDS, action.values(), strict=True))
    return out


def action_from_dict(data: Any) -> Action:
    """Parse the logged form; anything malformed raises IllegalAction with what is allowed."""
    if not isinstance(data, dict):
        raise IllegalAction(f"Action {data!r} is not an object; expected e.g. "
                            '{"type": "Call", "seat": 2}.')
    name = data.get("type")
    cls = ACTION_TYPES.get(name)  # type: ignore[arg-type]
    if cls is None:
        raise IllegalAction(f"Unknown action type {name!r}; known types are "
                            f"{', '.join(ACTION_TYPES)}.")
    names = list(cls.FIELDS)
    extra = set(data) - set(names) - {"type"}
    missing = [n for n in names if n not in data]
    if missing or extra:
        raise IllegalAction(f"Action {name} takes fields {', '.join(names)}; "
                            f"missing {missing or 'none'}, unexpected {sorted(extra) or 'none'}.")
    return cls(**{n: data[n] for n in names})  # type: ignore[no-any-return]
