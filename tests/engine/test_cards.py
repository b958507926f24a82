"""Card names, the seeded shuffle, and seed derivation (seeds exist to feed the shuffle)."""

import os
import random
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.engine import cards as cards_module
from sim.engine.cards import (
    RANKS,
    SUITS,
    card_from_str,
    card_to_str,
    cards_from_str,
    cards_to_str,
    shuffled_deck,
)
from sim.engine.seeds import derive_seed

ALL_CARDS = tuple(range(52))

# Pinned outputs: if one of these changes, every stored seed replays a different deal.
SEED_0_DECK = (
    "6h Kh 4h 5c 7s 3c 9s Qs Jh 8d Kc 3s Ah 3d 6d Qh Kd 4d 2d Ks 2s 7h 3h Ad 8s Ts "
    "Qc Jc 9c 6c 2c 7c 2h Tc 9d 5s Qd 9h As 8c Jd 6s 8h 4s Ac Th 7d 5h Js Td 5d 4c"
)
TABLE_SEED = 2800021203127330517  # derive_seed(42, "table", 3)
DERIVED_SEEDS: list[tuple[int, tuple[int | str, ...], int]] = [
    (0, (), 4462714686698551020),
    (42, ("table", 3), TABLE_SEED),
    (42, ("table", 3, "hand", 17), 186069485295554387),
]


# Card names.


def test_encoding_matches_rank_times_four_plus_suit() -> None:
    for rank_index, rank in enumerate(RANKS):
        for suit_index, suit in enumerate(SUITS):
            assert card_from_str(rank + suit) == rank_index * 4 + suit_index
    assert card_from_str("2c") == 0
    assert card_from_str("As") == 51
    assert card_from_str("Td") == 33


def test_every_card_round_trips() -> None:
    for card in ALL_CARDS:
        assert card_from_str(card_to_str(card)) == card
    assert len({card_to_str(card) for card in ALL_CARDS}) == 52


@given(st.lists(st.sampled_from(ALL_CARDS), unique=True, max_size=52))
def test_card_lists_round_trip_with_and_without_spaces(cards: list[int]) -> None:
    text = cards_to_str(cards)
    assert cards_from_str(text) == tuple(cards)
    assert cards_from_str(text.replace(" ", "")) == tuple(cards)


def test_cards_from_str_accepts_mixed_spacing() -> None:
    assert cards_from_str("As Kd 2c") == (51, 45, 0)
    assert cards_from_str("AsKd2c") == (51, 45, 0)
    assert cards_from_str("  AsKd\t2c\n") == (51, 45, 0)
    assert cards_from_str("") == ()
    assert cards_to_str(()) == ""


BAD_NAMES = ["", "A", "as", "AS", "1c", "10c", "Ax", "AsK", " As", "🂡", None]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_card_names_are_rejected_with_a_sentence(name: object) -> None:
    with pytest.raises(ValueError, match=r"is not a card name; use a rank from '23456789TJQKA'"):
        card_from_str(name)  # type: ignore[arg-type]


@pytest.mark.parametrize("card", [-1, 52, 1.0, True, "As", None])
def test_bad_card_ints_are_rejected_with_a_sentence(card: object) -> None:
    with pytest.raises(ValueError, match=r"is not a card; a card is an int in 0\.\.51"):
        card_to_str(card)  # type: ignore[arg-type]


def test_bad_card_strings_are_rejected_with_a_sentence() -> None:
    with pytest.raises(ValueError, match=r"Card 'Xd' is not a card name"):
        cards_from_str("As Xd")
    with pytest.raises(ValueError, match=r"contain 'AsK', which is not a whole number"):
        cards_from_str("AsK d")
    with pytest.raises(ValueError, match=r"Card 'As' appears more than once in 'As Kd As'"):
        cards_from_str("As Kd As")
    with pytest.raises(ValueError, match=r"are not a string"):
        cards_from_str(["As"])  # type: ignore[arg-type]


# The shuffle.


def test_splitmix64_matches_the_reference_outputs() -> None:
    # First outputs for seed 1234567 of https://prng.di.unimi.it/splitmix64.c.
    state, words = 1234567, []
    for _ in range(5):
        state, word = cards_module._splitmix64(state)
        words.append(word)
    assert words == [
        0x599ED017FB08FC85,
        0x2C73F08458540FA5,
        0x883EBCE5A3F27C77,
        0x3FBEF740E9177B3F,
        0xE3B8346708CB5ECD,
    ]


def _plain_splitmix64(state: int) -> tuple[int, int]:
    """splitmix64 on Python ints, as in the reference C code."""
    mask = 2**64 - 1
    state = (state + 0x9E3779B97F4A7C15) & mask
    z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return state, z ^ (z >> 31)


def test_splitmix64_on_halves_equals_it_on_python_ints() -> None:
    # The shuffle computes on 32-bit halves; the edges of each half are where it would slip.
    edges = [0, 1, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**62, 2**63 - 1, 2**63, 2**64 - 1,
             0x61C8864680B583EB]  # 2**64 - the golden gamma: the state wraps to 0
    rng = random.Random(11)
    for state in edges + [rng.getrandbits(64) for _ in range(2000)]:
        assert cards_module._splitmix64(state) == _plain_splitmix64(state), hex(state)


def test_shuffled_deck_is_pinned_for_seed_zero() -> None:
    assert cards_to_str(shuffled_deck(0)) == SEED_0_DECK


def test_shuffled_deck_follows_its_documented_algorithm() -> None:
    rng = random.Random(12)
    for seed in [0, 1, 2**32 - 1, 2**63 + 12345, 2**64 - 1] + [rng.getrandbits(64)
                                                               for _ in range(300)]:
        assert shuffled_deck(seed) == _documented_shuffle(seed)


def _documented_shuffle(seed: int) -> tuple[int, ...]:
    """The algorithm in shuffled_deck's docstring, written out plainly and separately."""
    spans = list(range(52, 1, -1))
    batches: list[list[int]] = [[]]
    for span in spans:
        product = 1
        for previous in batches[-1]:
            product *= previous
        if product * span > 2**48:
            batches.append([])
        batches[-1].append(span)
    deck, state = list(range(52)), seed
    for batch in batches:
        product = 1
        for span in batch:
            product *= span
        while True:
            state, word = _plain_splitmix64(state)
            if (word * product) % 2**64 >= 2**64 % product:
                break
        value = (word * product) // 2**64
        for span in batch:
            j, value = value % span, value // span
            deck[span - 1], deck[j] = deck[j], deck[span - 1]
    return tuple(deck)


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_shuffled_deck_is_a_permutation_fixed_by_the_seed(seed: int) -> None:
    deck = shuffled_deck(seed)
    assert isinstance(deck, tuple)
    assert sorted(deck) == list(ALL_CARDS)
    assert shuffled_deck(seed) == deck


def test_shuffled_deck_differs_across_seeds() -> None:
    decks = {shuffled_deck(seed) for seed in range(2000)}
    assert len(decks) == 2000
    tops = {shuffled_deck(seed)[:2] for seed in range(200)}
    assert len(tops) > 150  # 52 * 51 first pairs: 200 draws rarely collide


def test_one_cards_position_is_roughly_uniform() -> None:
    seeds = 5200
    counts = [0] * 52
    for seed in range(seeds):
        counts[shuffled_deck(seed).index(card_from_str("As"))] += 1
    expected = seeds / 52
    chi_square = sum((count - expected) ** 2 / expected for count in counts)
    # 51 degrees of freedom: mean 51, standard deviation 10. The seeds are fixed, so this
    # cannot flake; the loose bound only catches a broken shuffle.
    assert chi_square < 150, f"chi-square {chi_square:.1f} over positions {counts}"


@pytest.mark.parametrize("seed", [-1, 2**64, 1.5, True, "7", None])
def test_bad_seeds_are_rejected_with_a_sentence(seed: object) -> None:
    with pytest.raises(ValueError, match=r"is not an int in 0\.\.2\*\*64-1; derive seeds"):
        shuffled_deck(seed)  # type: ignore[arg-type]


# Seed derivation.


def test_derive_seed_is_pinned() -> None:
    for parent, labels, seed in DERIVED_SEEDS:
        assert derive_seed(parent, *labels) == seed


def test_derive_seed_is_the_same_in_another_process() -> None:
    # hash() would differ here: PYTHONHASHSEED randomises str hashes per process.
    code = "from sim.engine.seeds import derive_seed; print(derive_seed(42, 'table', 3))"
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    output = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert int(output.stdout) == TABLE_SEED


def test_derive_seed_distinguishes_labels() -> None:
    parent = 42
    seeds = [derive_seed(parent, "hand", hand) for hand in range(1000)]
    seeds += [derive_seed(parent, "seat", seat) for seat in range(10)]
    seeds += [derive_seed(parent), derive_seed(parent + 1), derive_seed(parent, "hand")]
    assert len(set(seeds)) == len(seeds)


def test_derive_seed_labels_are_typed_and_ordered() -> None:
    assert derive_seed(7, 1) != derive_seed(7, "1")
    assert derive_seed(7, "ab") != derive_seed(7, "a", "b")
    assert derive_seed(7, "a", "b") != derive_seed(7, "b", "a")
    assert derive_seed(7, "") != derive_seed(7)
    assert derive_seed(-7) != derive_seed(7)


@given(
    st.integers(),
    st.lists(st.one_of(st.integers(), st.text()), max_size=4),
)
def test_derive_seed_is_a_63_bit_non_negative_int(parent: int, labels: list[int | str]) -> None:
    seed = derive_seed(parent, *labels)
    assert isinstance(seed, int)
    assert 0 <= seed < 2**63
    assert derive_seed(parent, *labels) == seed


@pytest.mark.parametrize("label", [1.5, True, None, b"hand", ("hand", 1)])
def test_derive_seed_rejects_other_label_types(label: object) -> None:
    with pytest.raises(ValueError, match=r"Seed label .* it must be an int or a str\."):
        derive_seed(1, label)  # type: ignore[arg-type]


def test_derive_seed_rejects_a_non_int_parent() -> None:
    with pytest.raises(ValueError, match=r"Parent seed '42' is a str; it must be an int\."):
        derive_seed("42")  # type: ignore[arg-type]
