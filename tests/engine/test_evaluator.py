"""The eval7-backed evaluator against the pure-Python reference, and named showdowns."""

from collections import Counter

import eval7
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine.cards import cards_from_str, shuffled_deck
from sim.engine.evaluator import (
    CATEGORIES,
    category,
    evaluate7,
    reference_evaluate,
    reference_rank5,
)
from sim.engine.seeds import derive_seed

SAMPLE_SEED = 20240601
SAMPLE_HANDS = 20_000


def deal(label: str, index: int, count: int) -> tuple[int, ...]:
    """Deal `count` cards from a deck fixed by the test's seed, the label and the index."""
    return shuffled_deck(derive_seed(SAMPLE_SEED, label, index))[:count]


def sign(value: int) -> int:
    return (value > 0) - (value < 0)


def compare(left: tuple[int, ...], right: tuple[int, ...]) -> int:
    return (left > right) - (left < right)


def strength(text: str) -> int:
    return evaluate7(cards_from_str(text))


# Agreement with the reference on a large sample.


def test_order_and_category_agree_with_reference_on_random_hands() -> None:
    hands = [deal("random7", index, 7) for index in range(SAMPLE_HANDS)]
    fast = [evaluate7(hand) for hand in hands]
    slow = [reference_evaluate(hand) for hand in hands]
    for index, hand in enumerate(hands):
        assert category(fast[index]) == CATEGORIES[slow[index][0]], hand
    for index in range(SAMPLE_HANDS - 1):
        fast_order = sign(fast[index] - fast[index + 1])
        slow_order = compare(slow[index], slow[index + 1])
        assert fast_order == slow_order, (hands[index], hands[index + 1])
    # The sample should reach deep into the ranking, not just pairs and high cards.
    seen = Counter(category(value) for value in fast)
    assert set(seen) >= set(CATEGORIES) - {"straight flush"}, seen


def test_order_agrees_with_reference_when_players_share_a_board() -> None:
    # Random pairs of hands rarely tie; a shared board makes kickers and ties common.
    ties = 0
    for index in range(4000):
        dealt = deal("board", index, 9)
        board, first, second = dealt[:5], dealt[5:7], dealt[7:9]
        fast_order = sign(evaluate7(first + board) - evaluate7(second + board))
        slow_order = compare(reference_evaluate(first + board), reference_evaluate(second + board))
        assert fast_order == slow_order, (board, first, second)
        ties += fast_order == 0
    assert ties > 100, "too few ties to exercise the tie path"


@pytest.mark.parametrize("size", [5, 6])
def test_five_and_six_cards_agree_with_reference(size: int) -> None:
    hands = [deal(f"random{size}", index, size) for index in range(2000)]
    for left, right in zip(hands, hands[1:]):
        fast_order = sign(evaluate7(left) - evaluate7(right))
        assert fast_order == compare(reference_evaluate(left), reference_evaluate(right))
        assert category(evaluate7(left)) == CATEGORIES[reference_evaluate(left)[0]]


@settings(max_examples=200)
@given(st.permutations(range(52)), st.integers(min_value=5, max_value=7))
def test_card_order_does_not_matter(deck: list[int], size: int) -> None:
    hand = tuple(deck[:size])
    assert evaluate7(hand) == evaluate7(hand[::-1]) == evaluate7(list(sorted(hand)))
    assert reference_evaluate(hand) == reference_evaluate(hand[::-1])


# Named showdowns with exact expectations.


def test_wheel_beats_trips_and_loses_to_a_six_high_straight() -> None:
    wheel = strength("Ah 2c 3d 4s 5h Kc Qd")
    trips = strength("Kh Ks Kd 4s 9h 2c Qd")
    six_high = strength("6c 2c 3d 4s 5h Kc Qd")
    assert category(wheel) == "straight"
    assert category(six_high) == "straight"
    assert trips < wheel < six_high
    assert reference_evaluate(cards_from_str("Ah 2c 3d 4s 5h Kc Qd")) == (4, 3)


def test_steel_wheel_is_the_lowest_straight_flush() -> None:
    steel_wheel = strength("As 2s 3s 4s 5s Kd Kc")
    six_high = strength("6h 2h 3h 4h 5h Kd Kc")
    quad_aces = strength("As Ah Ad Ac 5s Kd Kc")
    assert category(steel_wheel) == "straight flush"
    assert quad_aces < steel_wheel < six_high
    assert reference_rank5(cards_from_str("As 2s 3s 4s 5s")) == (8, 3)
    # Seven spades: the steel wheel is there, but the 7-high straight flush plays.
    assert strength("As 2s 3s 4s 5s 6s 7s") == strength("3h 4h 5h 6h 7h 2c 2d")


def test_flush_beats_straight_on_the_same_board() -> None:
    board = "2h 7h 9h Tc Jd"
    flush = strength("Kh 3h " + board)
    straight = strength("8c Qs " + board)
    assert category(flush) == "flush"
    assert category(straight) == "straight"
    assert flush > straight


def test_full_houses_rank_by_trips_first() -> None:
    kings_full_of_deuces = strength("Kh Ks Kd 2c 2d 7s 8h")
    queens_full_of_aces = strength("Qh Qs Qd Ac Ad 7s 8h")
    assert category(kings_full_of_deuces) == "full house"
    assert kings_full_of_deuces > queens_full_of_aces
    # With two sets of trips the higher is the trips and the lower pairs up.
    assert strength("Kh Ks Kd 2c 2d 2s 8h") == strength("Kc Ks Kd 2h 2d 9c 8h")


def test_kicker_decides_equal_pairs() -> None:
    board = "Ad 7s 4c 2h 9d"
    ace_king = strength("Ac Kh " + board)
    ace_queen = strength("Ah Qs " + board)
    assert category(ace_king) == "pair"
    assert ace_king > ace_queen
    # The fifth card still counts: A-A-K-Q-9 beats A-A-K-J-9.
    assert strength("Ac Ah Kh Qd 9s 2c 3d") > strength("Ad As Kc Jh 9s 2c 3d")


def test_board_plays_and_the_players_tie() -> None:
    board = "As Ks Qd Jc Th"
    first = strength("2c 3d " + board)
    second = strength("4h 5c " + board)
    assert category(first) == "straight"
    assert first == second
    assert reference_evaluate(cards_from_str("2c 3d " + board)) == (4, 12)


def test_quads_rank_by_kicker() -> None:
    board = "9c 9d 9h 9s 2c"
    king_kicker = strength("Kd 3c " + board)
    queen_kicker = strength("Qd Jc " + board)
    other_king = strength("Ks 4h " + board)
    assert category(king_kicker) == "quads"
    assert king_kicker > queen_kicker
    assert king_kicker == other_king
    assert reference_evaluate(cards_from_str("Kd 3c " + board)) == (7, 7, 11)


def test_two_pair_uses_the_best_two_pairs_and_best_kicker() -> None:
    aces_and_kings_queen = strength("Ac Ad Kc Kd Qh Qs 2c")
    aces_and_kings_jack = strength("Ah As Kh Ks Jh Jd 2d")
    assert category(aces_and_kings_queen) == "two pair"
    assert aces_and_kings_queen > aces_and_kings_jack


def test_every_category_name_is_reachable() -> None:
    examples = {
        "high card": "2c 4d 6h 8s Tc Qd Ah",
        "pair": "2c 2d 6h 8s Tc Qd Ah",
        "two pair": "2c 2d 6h 6s Tc Qd Ah",
        "trips": "2c 2d 2h 8s Tc Qd Ah",
        "straight": "2c 3d 4h 5s 6c Qd Kh",
        "flush": "2c 4c 6c 8c Tc Qd Ah",
        "full house": "2c 2d 2h 8s 8c Qd Ah",
        "quads": "2c 2d 2h 2s Tc Qd Ah",
        "straight flush": "9c Tc Jc Qc Kc Qd Ah",
    }
    assert tuple(examples) == CATEGORIES
    strengths = [strength(text) for text in examples.values()]
    assert [category(value) for value in strengths] == list(CATEGORIES)
    assert strengths == sorted(strengths)
    for name, text in examples.items():
        assert CATEGORIES[reference_evaluate(cards_from_str(text))[0]] == name


def test_strength_is_eval7s_own_value() -> None:
    names = "As Kd 7h 7c 2s 3d 9c"
    expected = eval7.evaluate([eval7.Card(name) for name in names.split()])
    assert evaluate7(cards_from_str(names)) == expected


# Bad input.


@pytest.mark.parametrize("text", ["As Kd 7h 7c", "As Kd 7h 7c 2s 3d 9c 9d"])
def test_evaluate7_rejects_wrong_card_counts(text: str) -> None:
    with pytest.raises(ValueError, match=r"give 5, 6 or 7 cards\."):
        evaluate7(cards_from_str(text))


@pytest.mark.parametrize(
    "cards",
    [(0, 1, 2, 3, 52), (0, 1, 2, 3, 4, 5, -1), ("As", 1, 2, 3, 4), (0, 1, 2, 3, [4]), None],
)
def test_evaluate7_rejects_things_that_are_not_cards(cards: object) -> None:
    with pytest.raises(ValueError, match=r"give a sequence of 5 to 7 card ints in 0\.\.51\."):
        evaluate7(cards)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [-1, len(CATEGORIES) << 24, 1.5, True, "pair"])
def test_category_rejects_values_evaluate7_never_returns(value: object) -> None:
    with pytest.raises(ValueError, match=r"is not an evaluate7 result"):
        category(value)  # type: ignore[arg-type]


def test_reference_rejects_repeats_and_wrong_sizes() -> None:
    with pytest.raises(ValueError, match=r"a card repeats"):
        reference_rank5((51, 51, 0, 1, 2))
    with pytest.raises(ValueError, match=r"Cannot rank 6 cards"):
        reference_rank5(tuple(range(6)))
    with pytest.raises(ValueError, match=r"Cannot rank 4 cards"):
        reference_evaluate(tuple(range(4)))
    with pytest.raises(ValueError, match=r"is not a card"):
        reference_evaluate((0, 1, 2, 3, 52))
