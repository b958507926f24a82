"""Events: the low-level changes to the table, derived from actions, named in the past tense.

Events are never the source of truth (the actions are), so this model can change and old
logs still replay: replaying the actions regenerates the events.
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.record import Record

Pot = tuple[int, tuple[int, ...]]  # (amount, eligible seats)


class EventBase(Record):
    """Every event: read-only fields (when compiled), equal to another of the same type with
    the same fields, shown like a dataclass (see ``sim.engine.record``).

    Each event writes out ``values()``: the replay check compares every event of every hand,
    and compiled, a written-out ``values()`` reads its fields without a generic lookup.
    ``tests/engine/test_events.py`` holds each one to its ``FIELDS``."""


class PlayerSeated(EventBase):
    FIELDS = ("seat", "player", "buy_in", "waiting")

    def __init__(self, seat: int, player: str, buy_in: int, waiting: bool) -> None:
        self.seat: Final = seat
        self.player: Final = player
        self.buy_in: Final = buy_in
        self.waiting: Final = waiting  # joined a running table: waits for the big blind (or posts)

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.player, self.buy_in, self.waiting)


class PlayerLeft(EventBase):
    FIELDS = ("seat", "player", "cashed_out")

    def __init__(self, seat: int, player: str, cashed_out: int) -> None:
        self.seat: Final = seat
        self.player: Final = player
        self.cashed_out: Final = cashed_out

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.player, self.cashed_out)


class RebuyApplied(EventBase):
    FIELDS = ("seat", "requested", "added")

    def __init__(self, seat: int, requested: int, added: int) -> None:
        self.seat: Final = seat
        self.requested: Final = requested
        # may be less than requested when the stack grew since the request
        self.added: Final = added

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.requested, self.added)


class SatOut(EventBase):
    FIELDS = ("seat",)

    def __init__(self, seat: int) -> None:
        self.seat: Final = seat

    def values(self) -> tuple[Any, ...]:
        return (self.seat,)


class SatIn(EventBase):
    FIELDS = ("seat", "waiting")

    def __init__(self, seat: int, waiting: bool) -> None:
        self.seat: Final = seat
        self.waiting: Final = waiting  # missed the big blind while out: waits for it (or posts)

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.waiting)


class RequestQueued(EventBase):
    """A between-hands request made while a hand runs; it takes effect when the hand ends."""

    FIELDS = ("seat", "request", "amount")

    def __init__(self, seat: int, request: str, amount: int) -> None:
        self.seat: Final = seat
        self.request: Final = request  # "sit_out", "sit_in", "leave", "rebuy" or "post"
        self.amount: Final = amount

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.request, self.amount)


class HandStarted(EventBase):
    FIELDS = (
        "hand_no", "seed", "button", "small_blind_seat", "big_blind_seat", "dealt", "posters",
        "missed", "deck",
    )

    def __init__(
        self,
        hand_no: int,
        seed: int,
        button: int,
        small_blind_seat: int,
        big_blind_seat: int,
        dealt: tuple[int, ...],
        posters: tuple[int, ...],
        missed: tuple[int, ...],
        deck: tuple[int, ...],
    ) -> None:
        self.hand_no: Final = hand_no
        self.seed: Final = seed
        self.button: Final = button
        self.small_blind_seat: Final = small_blind_seat
        self.big_blind_seat: Final = big_blind_seat
        self.dealt: Final = dealt  # in dealing order, from the seat left of the button
        self.posters: Final = posters  # players posting a live big blind to come in
        self.missed: Final = missed  # sitting-out seats the big blind passed this hand
        self.deck: Final = deck

    def values(self) -> tuple[Any, ...]:
        return (self.hand_no, self.seed, self.button, self.small_blind_seat, self.big_blind_seat,
                self.dealt, self.posters, self.missed, self.deck)


class AntePosted(EventBase):
    FIELDS = ("seat", "amount")

    def __init__(self, seat: int, amount: int) -> None:
        self.seat: Final = seat
        self.amount: Final = amount

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.amount)


class BlindPosted(EventBase):
    FIELDS = ("seat", "amount", "kind")

    def __init__(self, seat: int, amount: int, kind: str) -> None:
        self.seat: Final = seat
        self.amount: Final = amount
        self.kind: Final = kind  # "small", "big" or "live"

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.amount, self.kind)


class HoleCardsDealt(EventBase):
    FIELDS = ("seat", "cards")

    def __init__(self, seat: int, cards: tuple[int, ...]) -> None:
        self.seat: Final = seat
        self.cards: Final = cards

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.cards)


class TurnStarted(EventBase):
    FIELDS = ("seat",)

    def __init__(self, seat: int) -> None:
        self.seat: Final = seat

    def values(self) -> tuple[Any, ...]:
        return (self.seat,)


class TimedOut(EventBase):
    FIELDS = ("seat",)

    def __init__(self, seat: int) -> None:
        self.seat: Final = seat

    def values(self) -> tuple[Any, ...]:
        return (self.seat,)


class Folded(EventBase):
    FIELDS = ("seat", "reason")

    def __init__(self, seat: int, reason: str) -> None:
        self.seat: Final = seat
        self.reason: Final = reason  # "action", "timeout" or "left"

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.reason)


class Checked(EventBase):
    FIELDS = ("seat",)

    def __init__(self, seat: int) -> None:
        self.seat: Final = seat

    def values(self) -> tuple[Any, ...]:
        return (self.seat,)


class Called(EventBase):
    FIELDS = ("seat", "amount")

    def __init__(self, seat: int, amount: int) -> None:
        self.seat: Final = seat
        self.amount: Final = amount  # chips added

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.amount)


class BetMade(EventBase):
    FIELDS = ("seat", "total", "full")

    def __init__(self, seat: int, total: int, full: bool) -> None:
        self.seat: Final = seat
        self.total: Final = total
        self.full: Final = full  # at least the big blind; an all-in for less is not a full bet

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.total, self.full)


class RaisedTo(EventBase):
    FIELDS = ("seat", "total", "full")

    def __init__(self, seat: int, total: int, full: bool) -> None:
        self.seat: Final = seat
        self.total: Final = total
        self.full: Final = full  # at least a full raise; a short all-in does not reopen the betting

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.total, self.full)


class BetReturned(EventBase):
    FIELDS = ("seat", "amount")

    def __init__(self, seat: int, amount: int) -> None:
        self.seat: Final = seat
        self.amount: Final = amount

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.amount)


class BetsCollected(EventBase):
    FIELDS = ("pots",)

    def __init__(self, pots: tuple[Pot, ...]) -> None:
        self.pots: Final = pots  # every pot after collection, main pot first

    def values(self) -> tuple[Any, ...]:
        return (self.pots,)


class BoardDealt(EventBase):
    FIELDS = ("street", "burnt", "cards")

    def __init__(self, street: int, burnt: int, cards: tuple[int, ...]) -> None:
        self.street: Final = street
        self.burnt: Final = burnt
        self.cards: Final = cards

    def values(self) -> tuple[Any, ...]:
        return (self.street, self.burnt, self.cards)


class CardsShown(EventBase):
    FIELDS = ("seat", "cards")

    def __init__(self, seat: int, cards: tuple[int, ...]) -> None:
        self.seat: Final = seat
        self.cards: Final = cards

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.cards)


class CardsMucked(EventBase):
    FIELDS = ("seat",)

    def __init__(self, seat: int) -> None:
        self.seat: Final = seat

    def values(self) -> tuple[Any, ...]:
        return (self.seat,)


class PotAwarded(EventBase):
    FIELDS = ("pot", "amount", "shares")

    def __init__(self, pot: int, amount: int, shares: tuple[tuple[int, int], ...]) -> None:
        self.pot: Final = pot
        self.amount: Final = amount
        self.shares: Final = shares  # (seat, chips)

    def values(self) -> tuple[Any, ...]:
        return (self.pot, self.amount, self.shares)


class HandEnded(EventBase):
    FIELDS = ("hand_no",)

    def __init__(self, hand_no: int) -> None:
        self.hand_no: Final = hand_no

    def values(self) -> tuple[Any, ...]:
        return (self.hand_no,)

Event = (PlayerSeated | PlayerLeft | RebuyApplied | SatOut | SatIn | RequestQueued | HandStarted
         | AntePosted | BlindPosted | HoleCardsDealt | TurnStarted | TimedOut | Folded | Checked
         | Called | BetMade | RaisedTo | BetReturned | BetsCollected | BoardDealt | CardsShown
         | CardsMucked | PotAwarded | HandEnded)

EVENT_TYPES: Final[dict[str, type[EventBase]]] = {
    cls.__name__: cls
    for cls in (PlayerSeated, PlayerLeft, RebuyApplied, SatOut, SatIn, RequestQueued, HandStarted,
                AntePosted, BlindPosted, HoleCardsDealt, TurnStarted, TimedOut, Folded, Checked,
                Called, BetMade, RaisedTo, BetReturned, BetsCollected, BoardDealt, CardsShown,
                CardsMucked, PotAwarded, HandEnded)
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def _tupled(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    return value


def event_to_dict(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"type": type(event).__name__}
    for name, value in zip(event.FIELDS, event.values(), strict=True):
        out[name] = _jsonable(value)
    return out


def event_from_dict(data: dict[str, Any]) -> Event:
    cls = EVENT_TYPES[data["type"]]
    return cls(**{name: _tupled(data[name]) for name in cls.FIELDS})  # type: ignore[return-value]
