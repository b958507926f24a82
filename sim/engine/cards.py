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

from mypy_extensions import i64

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


# The generator works on 64-bit words held as two 32-bit halves, and every intermediate
# value stays below 2**62, so the arithmetic can be on ``i64``: compiled, machine words
# (plain ints otherwise, with the same results, as nothing overflows). 64-bit words and
# their 128-bit products would be heap-allocated Python ints, several times slower.
_M32: Final = (1 << 32) - 1
_M24: Final = (1 << 24) - 1
_M16: Final = (1 << 16) - 1
_GAMMA_HI: Final = _GOLDEN_GAMMA >> 32
_GAMMA_LO: Final = _GOLDEN_GAMMA & _M32

# The multipliers' 16-bit pieces, lowest first.
_M1_0: Final = _MIX_MULTIPLIER_1 & _M16
_M1_1: Final = _MIX_MULTIPLIER_1 >> 16 & _M16
_M1_2: Final = _MIX_MULTIPLIER_1 >> 32 & _M16
_M1_3: Final = _MIX_MULTIPLIER_1 >> 48
_M2_0: Final = _MIX_MULTIPLIER_2 & _M16
_M2_1: Final = _MIX_MULTIPLIER_2 >> 16 & _M16
_M2_2: Final = _MIX_MULTIPLIER_2 >> 32 & _M16
_M2_3: Final = _MIX_MULTIPLIER_2 >> 48


def _splitmix64(state: int) -> tuple[int, int]:
    """Step the 64-bit state once; return ``(new_state, output_word)``."""
    hi, lo, word_hi, word_lo = _splitmix64_halves(state >> 32, state & _M32)
    # int() first: shifted left, an i64 half would overflow.
    return int(hi) << 32 | int(lo), int(word_hi) << 32 | int(word_lo)


def _splitmix64_halves(hi: i64, lo: i64) -> tuple[i64, i64, i64, i64]:
    """``_splitmix64`` on halves: ``(hi, lo)`` -> ``(hi, lo, word_hi, word_lo)``."""
    lo += _GAMMA_LO
    hi = (hi + _GAMMA_HI + (lo >> 32)) & _M32
    lo &= _M32
    # z = (z ^ z >> 30) * M1; z = (z ^ z >> 27) * M2; z ^ z >> 31, each mod 2**64.
    zh, zl = _times(hi ^ hi >> 30, lo ^ ((hi << 2 & _M32) | lo >> 30),
                    _M1_0, _M1_1, _M1_2, _M1_3)
    zh, zl = _times(zh ^ zh >> 27, zl ^ ((zh << 5 & _M32) | zl >> 27),
                    _M2_0, _M2_1, _M2_2, _M2_3)
    return hi, lo, zh ^ zh >> 31, zl ^ ((zh << 1 & _M32) | zl >> 31)


def _times(hi: i64, lo: i64, f0: i64, f1: i64, f2: i64, f3: i64) -> tuple[i64, i64]:
    """``(hi, lo) * factor mod 2**64`` as halves, given the factor's 16-bit pieces."""
    # lo * low half = part + (lo * f1 >> 16) * 2**32, where part is below 2**49.
    part = lo * f0 + ((lo * f1 & _M16) << 16)
    carry = (part >> 32) + (lo * f1 >> 16)
    # The high half only keeps the low 32 bits of hi * low half + lo * high half.
    high = (carry + hi * f0 + ((hi * f1 & _M16) << 16) + lo * f2
            + ((lo * f3 & _M16) << 16))
    return high & _M32, part & _M32


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
    hi: i64 = seed >> 32
    lo: i64 = seed & _M32
    for ranges, product, threshold in _SWAP_BATCHES:
        hi, lo, draw = _draw_below(hi, lo, product, threshold)
        for span in ranges:
            j = draw % span  # not divmod(): compiled, // and % on small ints stay unboxed
            draw //= span
            top = span - 1
            deck[top], deck[j] = deck[j], deck[top]
        assert draw == 0
    return tuple(deck)


def _draw_below(hi: i64, lo: i64, product: i64, threshold: i64) -> tuple[i64, i64, i64]:
    """Return ``(new_hi, new_lo, value)`` with value uniform in ``0..product-1``."""
    # word * product, with product = p1 * 2**24 + p0, in columns of 32 bits: the low 64
    # bits are (low1, low0) and the rest is the value. Every partial product is below 2**56.
    p0, p1 = product & _M24, product >> 24
    threshold_hi, threshold_lo = threshold >> 32, threshold & _M32
    # Each pass rejects with probability below 2**-16, so 64 rejections in a row would
    # mean a broken generator rather than bad luck.
    for _ in range(64):
        hi, lo, word_hi, word_lo = _splitmix64_halves(hi, lo)
        b = word_lo * p1  # weighs 2**24
        d = word_hi * p1  # weighs 2**56
        column0 = word_lo * p0 + ((b & 0xFF) << 24)
        column1 = (column0 >> 32) + (b >> 8) + word_hi * p0 + ((d & 0xFF) << 24)
        low1, low0 = column1 & _M32, column0 & _M32
        if low1 > threshold_hi or (low1 == threshold_hi and low0 >= threshold_lo):
            return hi, lo, (column1 >> 32) + (d >> 8)
    raise AssertionError(f"splitmix64 rejected 64 words in a row for range {product}.")
