"""Hand strength: a fast evaluator backed by eval7 and a slow pure-Python reference.

    >>> from sim.engine.cards import cards_from_str
    >>> wheel = evaluate7(cards_from_str("Ah 2c 3d 4s 5h Kc Kd"))
    >>> trips = evaluate7(cards_from_str("Kh 2c 3d 4s 9h Kc Kd"))
    >>> wheel > trips, category(wheel)
    (True, 'straight')

`evaluate7` is what the engine uses at showdown. `reference_evaluate` exists so tests can
check it against an independent implementation; it is over a hundred times slower.
"""
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Final

import eval7

from sim.engine.cards import DECK_SIZE, card_to_str

CATEGORIES: Final = (
    "high card",
    "pair",
    "two pair",
    "trips",
    "straight",
    "flush",
    "full house",
    "quads",
    "straight flush",
)

# eval7.handtype names; it has no separate royal flush.
_CATEGORY_BY_HANDTYPE: Final = {
    "High Card": "high card",
    "Pair": "pair",
    "Two Pair": "two pair",
    "Trips": "trips",
    "Straight": "straight",
    "Flush": "flush",
    "Full House": "full house",
    "Quads": "quads",
    "Straight Flush": "straight flush",
}
# eval7 keeps the category in bits 24 and up; handtype() names any larger value "Straight
# Flush" instead of failing, so `category` checks the range itself.
_CATEGORY_SHIFT: Final = 24
_STRENGTH_LIMIT: Final = len(CATEGORIES) << _CATEGORY_SHIFT

# Typed handles on the untyped extension, which also spare an attribute lookup per call.
_evaluate: Final[Callable[[tuple[eval7.Card, ...]], int]] = eval7.evaluate
_handtype: Final[Callable[[int], str]] = eval7.handtype

# A dict rather than a list: a negative int must fail, not wrap around to another card.
_EVAL7_CARDS: Final[dict[int, eval7.Card]] = {
    card: eval7.Card(card_to_str(card)) for card in range(DECK_SIZE)
}
assert all(_EVAL7_CARDS[card].rank == card // 4 for card in range(DECK_SIZE))
assert all(_EVAL7_CARDS[card].suit == card % 4 for card in range(DECK_SIZE))


def evaluate7(cards: Sequence[int]) -> int:
    """Return the strength of the best five of 5, 6 or 7 distinct cards; higher is better.

    Equal strengths tie. ``category(evaluate7(cards))`` names the hand. The cards must be
    distinct: eval7 does not check, and repeated cards give a meaningless strength.
    """
    try:
        if len(cards) == 7:
            # Unpacking beats a comprehension by about a quarter on CPython 3.11, and
            # seven-card hands are nearly every call.
            a, b, c, d, e, f, g = cards
            return _evaluate(
                (
                    _EVAL7_CARDS[a],
                    _EVAL7_CARDS[b],
                    _EVAL7_CARDS[c],
                    _EVAL7_CARDS[d],
                    _EVAL7_CARDS[e],
                    _EVAL7_CARDS[f],
                    _EVAL7_CARDS[g],
                )
            )
        if len(cards) == 5 or len(cards) == 6:
            return _evaluate(tuple([_EVAL7_CARDS[card] for card in cards]))
    except (KeyError, TypeError) as error:
        raise ValueError(_not_cards_message(cards)) from error
    raise ValueError(f"Cannot evaluate {len(cards)} cards {cards!r}; give 5, 6 or 7 cards.")


def _not_cards_message(cards: object) -> str:
    return (
        f"Cannot evaluate {cards!r}; give a sequence of 5 to 7 card ints in 0..{DECK_SIZE - 1}."
    )


def category(strength: object) -> str:
    """Name the category of an `evaluate7` strength, e.g. ``"full house"``."""
    if (not isinstance(strength, int) or isinstance(strength, bool)
            or not 0 <= strength < _STRENGTH_LIMIT):
        raise ValueError(
            f"Strength {strength!r} is not an evaluate7 result; those are ints in "
            f"0..{_STRENGTH_LIMIT - 1}."
        )
    return _CATEGORY_BY_HANDTYPE[_handtype(strength)]


def reference_evaluate(cards: Sequence[int]) -> tuple[int, ...]:
    """Rank the best five of 5 to 7 distinct cards as a comparable tuple, without eval7.

    The tuple is ``(category_index, *tie_break_ranks)`` as in `reference_rank5`. Slow:
    it ranks all 21 five-card subsets of seven cards. Meant as an oracle for tests.
    """
    _verify_distinct_cards(cards, sizes=(5, 6, 7))
    return max(_rank5(five) for five in combinations(cards, 5))


def reference_rank5(cards5: Sequence[int]) -> tuple[int, ...]:
    """Rank exactly five distinct cards as ``(category_index, *tie_break_ranks)``.

    ``CATEGORIES[rank[0]]`` names the hand; ranks are rank indexes (0 is a deuce, 12 an
    ace). Tuples compare like hands: A-2-3-4-5 is the lowest straight, ranked by its five.
    """
    _verify_distinct_cards(cards5, sizes=(5,))
    return _rank5(cards5)


def _verify_distinct_cards(cards: Sequence[int], sizes: tuple[int, ...]) -> None:
    names = [card_to_str(card) for card in cards]  # Raises on anything but a card int.
    if len(names) not in sizes:
        raise ValueError(f"Cannot rank {len(names)} cards {names}; give {sizes} cards.")
    if len(set(names)) != len(names):
        raise ValueError(f"Cannot rank {names}: a card repeats, and a deck holds each once.")


# Category indexes into CATEGORIES.
_HIGH_CARD: Final = 0
_PAIR: Final = 1
_TWO_PAIR: Final = 2
_TRIPS: Final = 3
_STRAIGHT: Final = 4
_FLUSH: Final = 5
_FULL_HOUSE: Final = 6
_QUADS: Final = 7
_STRAIGHT_FLUSH: Final = 8
_ACE: Final = 12


def _rank5(cards: Sequence[int]) -> tuple[int, ...]:
    # Plain loops over small lists: the awards check runs this 21 times per contender
    # whenever a showdown ties.
    ranks = sorted([card // 4 for card in cards], reverse=True)
    suit = cards[0] % 4
    is_flush = True
    for card in cards:
        if card % 4 != suit:
            is_flush = False
    counts = [0] * 13
    for rank in ranks:
        counts[rank] += 1
    # Rank groups, largest group first, then higher rank first: the tie-break order.
    by_group: list[int] = []
    shape: list[int] = []
    for size in (4, 3, 2, 1):
        for rank in range(_ACE, -1, -1):
            if counts[rank] == size:
                by_group.append(rank)
                shape.append(size)
    straight_high = _straight_high(ranks) if len(by_group) == 5 else None
    if straight_high is not None:
        return (_STRAIGHT_FLUSH if is_flush else _STRAIGHT, straight_high)
    if is_flush:
        return (_FLUSH, *ranks)
    top = shape[0]
    if top == 4:
        category = _QUADS
    elif top == 3:
        category = _FULL_HOUSE if shape[1] == 2 else _TRIPS
    elif top == 2:
        category = _TWO_PAIR if shape[1] == 2 else _PAIR
    else:
        category = _HIGH_CARD
    return (category, *by_group)


def _straight_high(ranks: list[int]) -> int | None:
    """The top rank of five distinct ranks (highest first) that make a straight, 3 (a
    five) for the wheel, else None."""
    if ranks[0] - ranks[4] == 4:
        return ranks[0]
    if ranks[0] == _ACE and ranks[1] == 3:  # A-5-4-3-2: ranks[1] - ranks[4] == 3 follows
        return 3
    return None
