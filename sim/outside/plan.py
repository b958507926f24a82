"""From a PHH hand to what the engine needs to replay it: a ``Plan``, or a ``Skip`` saying
why the engine cannot express the hand.

PHH orders players by position: p1 is dealt first (the small blind; heads-up, the big blind,
since the button posts the small blind), the last player holds the button. The ``seats``
field, when given, places them at a table (1-based seat numbers, gaps allowed). Amounts are
scaled to whole chips by the smallest power of ten that makes every amount of the hand
whole. Unknown hole cards (``????``) are filled, in a fixed order, with cards no one showed.

    >>> from pathlib import Path
    >>> from sim.outside.phh import read_path
    >>> make_plan(read_path(Path("tests/outside/data/pluribus-2019-sample.phhs"))[0]).config
    TableConfig(seats=6, small_blind=50, big_blind=100, ante=0, min_buy_in=1, max_buy_in=10000)
    >>> make_plan(read_path(Path("tests/outside/data/spec-arieh-yockey-2019.phh"))[0]).reason
    "variant F2L3D (only no-limit hold'em, NT, is replayed)"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Final

from sim.engine.cards import DECK_SIZE, card_from_str, card_to_str
from sim.engine.config import MAX_CHIPS
from sim.engine.handsetup import HandSetup
from sim.engine.record import Record
from sim.engine.state import TableConfig
from sim.outside.phh import NotPhh, PhhHand

MAX_SEATS = 10
UNKNOWN = -1  # a card written ??


@dataclass(frozen=True, slots=True)
class Skip:
    """A hand the engine cannot express; ``reason`` is short and shared by such hands."""

    where: str
    reason: str


class Step(Record):
    """One player action of the file: its index in ``actions``, the engine seat, the verb
    (``f``, ``cc``, ``cbr``, ``sm``) and the ``cbr`` amount in chips (else 0). A Record,
    not a frozen dataclass: about ten are built a hand (see ``sim.engine.record``)."""

    FIELDS: ClassVar[tuple[str, ...]] = ("index", "seat", "verb", "amount")

    def __init__(self, index: int, seat: int, verb: str, amount: int) -> None:
        self.index: Final = index
        self.seat: Final = seat
        self.verb: Final = verb
        self.amount: Final = amount


class Plan(Record):
    """A hand ready to replay. ``scale`` is what amounts were multiplied by; ``finishing``
    and ``winnings`` (by seat, in chips) are the outcome the file records, if it does;
    ``filled`` are the seats whose hole cards were unknown and filled."""

    FIELDS: ClassVar[tuple[str, ...]] = ("where", "config", "players", "setup", "steps",
                                         "scale", "finishing", "winnings", "rake", "filled")

    def __init__(self, where: str, config: TableConfig, players: Mapping[int, tuple[str, int]],
                 setup: HandSetup, steps: tuple[Step, ...], scale: int,
                 finishing: Mapping[int, int] | None, winnings: Mapping[int, int] | None,
                 rake: int | None, filled: frozenset[int]) -> None:
        self.where: Final = where
        self.config: Final = config
        self.players: Final = players
        self.setup: Final = setup
        self.steps: Final = steps
        self.scale: Final = scale
        self.finishing: Final = finishing
        self.winnings: Final = winnings
        self.rake: Final = rake
        self.filled: Final = filled


def make_plan(hand: PhhHand) -> Plan | Skip:
    """The plan of ``hand``, or why it is skipped; raises NotPhh on malformed fields."""
    f = hand.fields
    where = hand.where
    if f["variant"] != "NT":
        return Skip(where, f"variant {f['variant']} (only no-limit hold'em, NT, is replayed)")
    stacks = _numbers(where, f, "starting_stacks")
    count = len(stacks)
    antes = _numbers(where, f, "antes", count)
    blinds = _numbers(where, f, "blinds_or_straddles", count)
    _outcome_fields(where, f, count)
    reason = _inexpressible(f, stacks, antes, blinds)
    if reason:
        return Skip(where, reason)
    words = [_words(where, action) for action in f["actions"]]  # each action, split once
    scale = _scale(f, words, where, stacks, antes, blinds)
    if scale > MAX_CHIPS:
        return Skip(where, f"amounts with more decimal places than {MAX_CHIPS:,} chips hold")
    chips = [_chips(x, scale) for x in stacks]
    if max(max(chips), _chips(blinds[1], scale), _chips(antes[0], scale)) > MAX_CHIPS:
        return Skip(where, f"amounts above {MAX_CHIPS:,} chips once whole (the engine's most)")
    seats, table_seats = _seats(where, f, count)
    if table_seats > MAX_SEATS:
        return Skip(where, f"more than {MAX_SEATS} seats")
    names = _names(f, count)
    config = TableConfig(seats=table_seats, small_blind=_chips(blinds[0], scale),
                         big_blind=_chips(blinds[1], scale), ante=_chips(antes[0], scale),
                         min_buy_in=1, max_buy_in=max(chips))
    cards = _cards(where, words, count)
    if isinstance(cards, str):
        return Skip(where, cards)
    holes, board, filled = cards
    steps = _steps(where, f["actions"], words, seats, scale)
    if isinstance(steps, str):
        return Skip(where, steps)
    return Plan(where, config, {seats[i]: (names[i], chips[i]) for i in range(count)},
                HandSetup(button=seats[-1], deck=_deck(holes, board)), steps, scale,
                _by_seat(where, f, "finishing_stacks", seats, scale),
                _by_seat(where, f, "winnings", seats, scale),
                _chips(f["rake"], scale) if "rake" in f else None,
                frozenset(seats[i] for i in filled))


# -- fields --------------------------------------------------------------------------------

def _numbers(where: str, f: Mapping[str, Any], name: str, count: int | None = None
             ) -> list[Any]:
    values = f[name]
    if not isinstance(values, list) or (count is not None and len(values) != count):
        size = "" if count is None else f" of {count} (one per player)"
        raise NotPhh(f"{where}: {name} must be an array{size}, not {values!r}.")
    for value in values:
        _check_amount(where, name, value)
    return values


def _check_amount(where: str, name: str, value: Any) -> None:
    """NotPhh unless ``value`` is an amount ``name`` may hold: a number, 0 or more (a
    starting stack: above 0, or inf when unknown)."""
    stack = name == "starting_stacks"
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or (
            isinstance(value, Decimal) and value.is_nan()):
        shown = str(value) if isinstance(value, Decimal) else repr(value)
        raise NotPhh(f"{where}: {name} holds {shown}, which is not a number.")
    if value < 0 or (stack and value == 0):
        raise NotPhh(f"{where}: {name} holds {value}; "
                     + ("a starting stack is above 0 (inf when unknown)." if stack
                        else "an amount is 0 or more."))
    if isinstance(value, Decimal) and value.is_infinite() and not stack:
        raise NotPhh(f"{where}: {name} holds {value}; an amount is a finite number.")


def _outcome_fields(where: str, f: Mapping[str, Any], count: int) -> None:
    """NotPhh unless the outcome the file records is numbers (``sim.outside.check``
    compares it with the engine's)."""
    for name in ("finishing_stacks", "winnings"):
        if name in f:
            _numbers(where, f, name, count)
    if "rake" in f:
        _check_amount(where, "rake", f["rake"])
    _check_amount(where, "min_bet", f["min_bet"])


def _inexpressible(f: Mapping[str, Any], stacks: list[Any], antes: list[Any],
                   blinds: list[Any]) -> str:
    """Why the engine cannot play this hand as written, or ''."""
    if not 2 <= len(stacks) <= MAX_SEATS:
        players = "1 player" if len(stacks) == 1 else f"{len(stacks)} players"
        return f"{players} (the engine seats 2 to {MAX_SEATS})"
    if any(isinstance(s, Decimal) and s.is_infinite() for s in stacks):
        return "unknown starting stacks (inf)"
    if any(a != antes[0] for a in antes):
        return "uneven antes"
    if any(b for b in blinds[2:]):
        return "straddles"
    if not blinds[0] > 0 or not blinds[1] > 0:
        return "a missing blind"
    if blinds[0] > blinds[1]:
        return "a small blind above the big blind"
    if f["min_bet"] != blinds[1]:
        return "a minimum bet other than the big blind"
    return ""


def _scale(f: Mapping[str, Any], words: list[list[str]], where: str,
           *amount_lists: list[Any]) -> int:
    """The smallest power of ten that makes every amount of the hand whole."""
    amounts: list[Any] = [x for values in amount_lists for x in values]
    for name in ("finishing_stacks", "winnings"):
        if isinstance(f.get(name), list):
            amounts += f[name]
    if "rake" in f:
        amounts.append(f["rake"])
    for action in words:
        if len(action) == 3 and action[1] == "cbr":
            amounts.append(_amount(where, action[2]))
    places = 0
    for amount in amounts:
        if isinstance(amount, Decimal):
            exponent = amount.normalize().as_tuple().exponent
            if isinstance(exponent, int) and -exponent > places:
                places = -exponent
    return 10 ** min(places, 13)  # past 12 places, the hand is skipped


def _amount(where: str, text: str) -> int | Decimal:
    try:
        value = int(text) if text.isascii() and text.isdigit() else Decimal(text)
    except (ArithmeticError, ValueError):
        raise NotPhh(f"{where}: amount {text!r} is not a number.") from None
    if isinstance(value, Decimal) and not (value.is_finite() and value > 0):
        raise NotPhh(f"{where}: amount {text!r} is not a positive number of chips.")
    return value


def _chips(value: Any, scale: int) -> int:
    chips = value * scale
    assert chips == int(chips), f"{value} x {scale} is not whole"
    return int(chips)


def _seats(where: str, f: Mapping[str, Any], count: int) -> tuple[list[int], int]:
    """Engine seats by player (0-based), and the table's size. The file's ``seats`` are
    used when they go clockwise from the small blind to the button; else positions.
    Seats that are not one distinct seat number (from 1) per player, or a ``seat_count``
    below the highest seat, are not PHH."""
    given = f.get("seats")
    size = f.get("seat_count")
    if given is not None and not (isinstance(given, list) and len(given) == count and all(
            type(s) is int and s >= 1 for s in given) and len(set(given)) == count):
        raise NotPhh(f"{where}: seats = {given!r}; give one seat number per player ({count}), "
                     "each a different whole number from 1.")
    lowest = max(given) if given is not None else count
    if size is not None and not (type(size) is int and size >= lowest):
        raise NotPhh(f"{where}: seat_count = {size!r}; give the table's number of seats, a "
                     f"whole number of at least {lowest} (the players, or the highest seat).")
    if given is not None:
        size = size if size is not None else max(given)
        button = given[-1]
        distances = [(s - button) % size for s in given[:-1]]
        if distances == sorted(distances) and 0 not in distances:
            return [s - 1 for s in given], size
    return list(range(count)), count


def _names(f: Mapping[str, Any], count: int) -> list[str]:
    given = f.get("players")
    names = [f"p{i + 1}" for i in range(count)]
    if isinstance(given, list) and len(given) == count:
        names = [str(n).strip() or names[i] for i, n in enumerate(given)]
    if len(set(names)) != count:  # the engine seats a name once
        names = [f"{n} (p{i + 1})" for i, n in enumerate(names)]
    return names


def _by_seat(where: str, f: Mapping[str, Any], name: str, seats: list[int],
             scale: int) -> dict[int, int] | None:
    values = f.get(name)
    if values is None:
        return None
    if not isinstance(values, list) or len(values) != len(seats) or any(
            isinstance(v, bool) or not isinstance(v, (int, Decimal)) for v in values):
        raise NotPhh(f"{where}: {name} must be an array of {len(seats)} numbers.")
    return {seats[i]: _chips(v, scale) for i, v in enumerate(values)}


# -- cards and actions -----------------------------------------------------------------------

_CARD = {card_to_str(card): card for card in range(DECK_SIZE)} | {"??": UNKNOWN}
_PLAYER = {f"p{n}": n - 1 for n in range(1, MAX_SEATS + 1)}


def _parse_cards(where: str, text: str) -> list[int]:
    if len(text) % 2:
        raise NotPhh(f"{where}: cards {text!r} are not two characters each.")
    try:
        return [_CARD[text[k:k + 2]] for k in range(0, len(text), 2)]
    except KeyError:
        pass
    for k in range(0, len(text), 2):  # the first name that is no card, for the message
        try:
            card_from_str(text[k:k + 2]) if text[k:k + 2] != "??" else None
        except ValueError as error:
            raise NotPhh(f"{where}: {error}") from None
    raise AssertionError(f"{text!r} has no card outside _CARD")


def _cards(where: str, words: list[list[str]], count: int
           ) -> tuple[list[list[int]], list[int], list[int]] | str:
    """Hole cards by player, the board, and the players with unknown cards filled in (or a
    skip reason). Cards shown at showdown fill hole cards dealt unknown."""
    holes: list[list[int] | None] = [None] * count
    board: list[int] = []
    shows = []
    for action in words:
        size = len(action)
        if size >= 3 and action[0] == "d":
            if action[1] == "dh":
                player = _player(where, action[2], count)
                if holes[player] is not None or size != 4:
                    return "hole cards dealt twice, or not two"
                holes[player] = _parse_cards(where, action[3])
            elif action[1] == "db" and size == 3:
                board += _parse_cards(where, action[2])
        if size == 3 and action[1] == "sm" and action[2] != "-":
            shows.append(action)
    for action in shows:
        player = _player(where, action[0], count)
        shown, hole = _parse_cards(where, action[2]), holes[player]
        if hole is None or len(shown) != len(hole):
            return "cards shown that were not dealt"
        for k, card in enumerate(shown):
            if card != UNKNOWN and hole[k] != UNKNOWN and hole[k] != card:
                return "cards shown that differ from the cards dealt"
            if card != UNKNOWN:
                hole[k] = card
    if any(h is None or len(h) != 2 for h in holes):
        return "a player dealt no cards, or not two (a seat change mid-hand)"
    if len(board) > 5:
        return "more than one board (run it twice)"
    known = [c for h in holes if h is not None for c in h if c != UNKNOWN] + board
    if len(set(known)) != len(known) or UNKNOWN in board:
        return "a card dealt twice, or an unknown board card"
    filled = [player for player, hole in enumerate(holes) if hole is not None and UNKNOWN in hole]
    dealt: list[list[int]] = [h for h in holes if h is not None]
    if filled:
        taken = set(known)
        spare = [c for c in range(DECK_SIZE) if c not in taken]
        dealt = [[c if c != UNKNOWN else spare.pop(0) for c in hole] for hole in dealt]
    return dealt, board, filled


def _deck(holes: list[list[int]], board: list[int]) -> tuple[int, ...]:
    """The deck that deals ``holes`` (in dealing order) and ``board`` as the engine deals:
    first cards round the table, then second cards, then burn, flop, burn, turn, burn,
    river. Burns and the rest come from the unused cards in order."""
    deck = [h[0] for h in holes] + [h[1] for h in holes]
    used = set(deck)
    used.update(board)
    spare = [c for c in range(DECK_SIZE) if c not in used]
    spare.reverse()  # popped from the end: the lowest card first
    rest = board[::-1]
    for size in (3, 1, 1):
        deck.append(spare.pop())
        for _ in range(size):
            deck.append(rest.pop() if rest else spare.pop())
    spare.reverse()
    return tuple(deck + spare)


def _steps(where: str, actions: list[Any], words: list[list[str]], seats: list[int],
           scale: int) -> tuple[Step, ...] | str:
    steps = []
    for index, action in enumerate(words):
        if not action or action[0] == "d":
            continue
        player = _player(where, action[0], len(seats))
        verb = action[1] if len(action) > 1 else ""
        if verb in ("f", "cc") and len(action) == 2:
            steps.append(Step(index, seats[player], verb, 0))
        elif verb == "cbr" and len(action) == 3:
            amount = action[2]
            chips = int(amount) * scale if amount.isascii() and amount.isdigit() \
                else _chips(_amount(where, amount), scale)
            steps.append(Step(index, seats[player], verb, chips))
        elif verb == "sm":
            steps.append(Step(index, seats[player], verb, 0))
        elif verb in ("pb", "sd"):
            return f"action {verb!r}, not of no-limit hold'em"
        else:
            raise NotPhh(f"{where}: action {index + 1} {actions[index]!r} is not PHH action "
                         "notation.")
    return tuple(steps)


def _words(where: str, action: Any) -> list[str]:
    if type(action) is not str:
        if not isinstance(action, str):
            raise NotPhh(f"{where}: action {action!r} is not a string.")
    return action.split("#", 1)[0].split()


def _player(where: str, word: str, count: int) -> int:
    player = _PLAYER.get(word, count)
    if player < count:
        return player
    if len(word) < 2 or word[0] != "p" or not word[1:].isdigit() or not 1 <= int(word[1:]) <= count:
        raise NotPhh(f"{where}: {word!r} is not a player; players are p1 to p{count}.")
    return int(word[1:]) - 1
