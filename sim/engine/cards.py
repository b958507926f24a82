"""Cards as small ints, their two-character names, and a seeded deck shuffle.

A card is an int 0..51 equal to ``rank_index * 4 + suit_index``: rank_index 0..12 stands for
2,3,4,5,6,7,8,9,T,J,Q,K,A and suit_index 0..3 for c,d,h,s. So 0 is "2c" and 51 is "As".
Other modules (the evaluator, the event log) rely on this encoding; never change it.

    >>> card_from_str("As"), card_to_str(0)
    (51, '2c')
    >>> cards_to_str(cards_from_str("AsKd 2c"))
    'As Kd 2c'
"""
from collections.abc import Iterable
from typing import Final

RANKS: Final = "23456789TJQKA"
SUITS: Final = "cdhs"
DECK_SIZE: Final = 52

_CARD_BY_NAME: dict[str, int] = {
    rank + suit: rank_index * 4 + suit_index
    for rank_index, rank in enumerate(RANKS)
    for suit_index, suit in enumerate(SUITS)
}
_NAME_BY_CARD: tuple[str, ...] = tuple(sorted(_CARD_BY_NAME, key=_CARD_BY_NAME.__getitem__))
assert len(_NAME_BY_CARD) == DECK_SIZE
assert _NAME_BY_CARD[0] == "2c"
assert _NAME_BY_CARD[51] == "As"


def card_from_str(name: object) -> int:
    """Parse one card name such as ``"As"`` or ``"Td"``: ``card_from_str("As") == 51``."""
    card = _CARD_BY_NAME.get(name) if isinstance(name, str) else None
    if card is None:
        raise ValueError(
            f"Card {name!r} is not a card name; use a rank from {RANKS!r} followed by a suit "
            f"from {SUITS!r}, e.g. 'As' or 'Td'."
        )
    return card


def card_to_str(card: object) -> str:
    """Name one card: ``card_to_str(51) == "As"``."""
    # bool is an int subclass, and True would otherwise quietly name "2d".
    if not isinstance(card, int) or isinstance(card, bool) or not 0 <= card < DECK_SIZE:
        raise ValueError(
            f"Card {card!r} is not a card; a card is an int in 0..{DECK_SIZE - 1} "
            "equal to rank_index * 4 + suit_index."
        )
    return _NAME_BY_CARD[card]


def cards_from_str(text: object) -> tuple[int, ...]:
    """Parse cards written with or without spaces: ``cards_from_str("As Kd2c") == (51, 45, 0)``.

    A repeated card is rejected: no hand, board or deck holds a card twice.
    """
    if not isinstance(text, str):
        raise ValueError(f"Cards {text!r} are not a string; write them like 'As Kd 2c'.")
    cards = tuple(card_from_str(name) for name in _split_names(text))
    if len(set(cards)) != len(cards):
        repeated = next(card for card in cards if cards.count(card) > 1)
        raise ValueError(
            f"Card {card_to_str(repeated)!r} appears more than once in {text!r}; "
            "each card exists once in a deck."
        )
    return cards


def _split_names(text: str) -> list[str]:
    """Cut each whitespace-separated word into two-character card names."""
    names: list[str] = []
    for word in text.split():
        if len(word) % 2 != 0:
            raise ValueError(
                f"Cards {text!r} contain {word!r}, which is not a whole number of two-character "
                "card names; write cards like 'As Kd 2c' or 'AsKd2c'."
            )
        names.extend(word[start : start + 2] for start in range(0, len(word), 2))
    return names


def cards_to_str(cards: Iterable[int]) -> str:
    """Name cards, space separated: ``cards_to_str((51, 45)) == "As Kd"``."""
    return " ".join(card_to_str(card) for card in cards)


# The shuffle uses its own generator so a seed deals the same deck on every Python version
# and platform: the `random` module promises no such stability. splitmix64 is the reference
# generator from https://prng.di.unimi.it/splitmix64.c (Steele, Lea and Flood, 2014).
_MASK64: Final = (1 << 64) - 1
_GOLDEN_GAMMA: Final = 0x9E3779B97F4A7C15
_MIX_MULTIPLIER_1: Final = 0xBF58476D1CE4E5B9
_MIX_MULTIPLIER_2: Final = 0x94D049BB133111EB

# A batch's range product stays at or below this bound so a rejected draw is rare
# (probability below 2**-16) while one 64-bit word still covers about ten swaps.
_BATCH_PRODUCT_LIMIT: Final = 1 << 48


def _splitmix64(state: int) -> tuple[int, int]:
    """Step the 64-bit state once; return ``(new_state, output_word)``."""
    state = (state + _GOLDEN_GAMMA) & _MASK64
    word = ((state ^ (state >> 30)) * _MIX_MULTIPLIER_1) & _MASK64
    word = ((word ^ (word >> 27)) * _MIX_MULTIPLIER_2) & _MASK64
    return state, word ^ (word >> 31)


def _swap_batches(deck_size: int) -> tuple[tuple[tuple[int, ...], int, int], ...]:
    """Group the Fisher-Yates ranges (deck_size, ..., 2) into batches that share one word.

    Each batch is ``(ranges, product, rejection_threshold)``; see `shuffled_deck`.
    """
    batches: list[tuple[tuple[int, ...], int, int]] = []
    ranges: list[int] = []
    product = 1
    for span in range(deck_size, 1, -1):
        if product * span > _BATCH_PRODUCT_LIMIT:
            batches.append(_batch(ranges, product))
            ranges, product = [], 1
        ranges.append(span)
        product *= span
    if ranges:
        batches.append(_batch(ranges, product))
    return tuple(batches)


def _batch(ranges: list[int], product: int) -> tuple[tuple[int, ...], int, int]:
    # Lemire's threshold: words whose low half of word * product falls below it are rejected,
    # which leaves every value of word * product >> 64 equally likely.
    threshold = (1 << 64) % product
    assert 0 < product <= _BATCH_PRODUCT_LIMIT
    assert threshold < product
    return tuple(ranges), product, threshold


_SWAP_BATCHES: Final = _swap_batches(DECK_SIZE)
_UNSHUFFLED: Final = tuple(range(DECK_SIZE))


def shuffled_deck(seed: object) -> tuple[int, ...]:
    """Return the 52 cards in an order fixed forever by ``seed`` (an int in 0..2**64-1).

    ``shuffled_deck(7)`` is the same tuple on every machine and Python version.

    The algorithm, for anyone reimplementing it: a splitmix64 state starts at ``seed``.
    Fisher-Yates runs from the top, swapping index ``span - 1`` with a uniform ``j`` in
    ``0..span-1`` for span = 52, 51, ..., 2. The spans are cut greedily, in that order, into
    batches whose product is at most 2**48 (see `_swap_batches`). Each batch draws one
    splitmix64 word ``w`` and computes ``m = w * product``; if ``m mod 2**64`` is below
    ``2**64 mod product`` the word is rejected and the next one drawn (Lemire's method).
    Otherwise ``m >> 64`` is uniform in ``0..product-1`` and its mixed-radix digits, least
    significant first with radices equal to the batch's spans, are the ``j`` of each swap.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= _MASK64:
        raise ValueError(
            f"Seed {seed!r} is not an int in 0..2**64-1; derive seeds with "
            "sim.engine.seeds.derive_seed."
        )
    deck = list(_UNSHUFFLED)
    state = seed
    for ranges, product, threshold in _SWAP_BATCHES:
        state, draw = _draw_below(state, product, threshold)
        for span in ranges:
            j = draw % span  # not divmod(): compiled, // and % on small ints stay unboxed
            draw //= span
            top = span - 1
            deck[top], deck[j] = deck[j], deck[top]
        assert draw == 0
    return tuple(deck)


def _draw_below(state: int, product: int, threshold: int) -> tuple[int, int]:
    """Return ``(new_state, value)`` with value uniform in ``0..product-1``."""
    # Each pass rejects with probability below 2**-16, so 64 rejections in a row would
    # mean a broken generator rather than bad luck.
    for _ in range(64):
        state, word = _splitmix64(state)
        scaled = word * product
        if scaled & _MASK64 >= threshold:
            return state, scaled >> 64
    raise AssertionError(f"splitmix64 rejected 64 words in a row for range {product}.")
