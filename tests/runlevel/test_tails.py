"""The tail functions: the incomplete gamma function against its closed forms and against
published values (scipy 1.17.1's, pinned here: scipy is not a dependency), and the
gamma fit of a sum of deck agreements against the chi-square it tends to."""

from __future__ import annotations

import math

import pytest

from sim.runlevel.tails import (
    ONE_CARD,
    chi2_sf,
    gamma_p,
    gamma_q,
    pair_cumulants,
    pair_tails,
    two_sided,
)


def q_integer(k: int, x: float) -> float:
    """Q(k, x) for a whole k: e**-x times the first k terms of e**x's series."""
    return sum(math.exp(j * math.log(x) - x - math.lgamma(j + 1)) for j in range(k))


def q_half(k: int, x: float) -> float:
    """Q(k + 1/2, x): erfc(sqrt(x)) and the recurrence Q(a + 1) = Q(a) + x**a e**-x / G(a+1)."""
    total = math.erfc(math.sqrt(x))
    for j in range(k):
        a = j + 0.5
        total += math.exp(a * math.log(x) - x - math.lgamma(a + 1))
    return total


@pytest.mark.parametrize("k", [1, 2, 7, 40, 300])
@pytest.mark.parametrize("ratio", [0.2, 0.7, 0.95, 1.0, 1.1, 1.5, 3.0])
def test_whole_shapes_match_the_closed_form(k, ratio):
    x = k * ratio
    assert gamma_q(k, x) == pytest.approx(q_integer(k, x), rel=1e-10, abs=1e-300)
    assert gamma_p(k, x) + gamma_q(k, x) == pytest.approx(1.0, abs=1e-13)


@pytest.mark.parametrize("k", [0, 1, 25, 1300])  # 1300.5: the whole table's 2601 / 2
@pytest.mark.parametrize("ratio", [0.5, 0.9, 1.0, 1.05, 1.2, 2.0])
def test_half_shapes_match_the_closed_form(k, ratio):
    x = (k + 0.5) * ratio
    assert gamma_q(k + 0.5, x) == pytest.approx(q_half(k, x), rel=1e-9, abs=1e-300)


def test_published_values():
    assert chi2_sf(3.8414588206941285, 1) == pytest.approx(0.05, rel=1e-12)
    assert chi2_sf(23.20925115895436, 10) == pytest.approx(0.01, rel=1e-12)
    assert chi2_sf(114.07566776592203, 51) == pytest.approx(1e-6, rel=1e-9)
    assert chi2_sf(3000, 2601) == pytest.approx(6.416422225388009e-08, rel=1e-9)
    assert 1 - chi2_sf(2300, 2601) == pytest.approx(7.228850179158521e-06, rel=1e-6)
    assert gamma_q(1300.5, 1600.0) == pytest.approx(4.5752141507022926e-15, rel=1e-9)
    assert gamma_p(1300.5, 1100.0) == pytest.approx(2.2460506485151735e-09, rel=1e-9)
    assert gamma_q(25.5, 60.0) == pytest.approx(1.728891860823387e-07, rel=1e-9)


def test_far_tails_stay_positive_and_underflow_to_zero():
    assert 0 < chi2_sf(600, 51) < 1e-90
    assert chi2_sf(1e6, 51) == 0.0
    assert gamma_q(3.0, 0.0) == 1.0 and gamma_p(3.0, 0.0) == 0.0


@pytest.mark.parametrize("a", [0.0, -1.0, float("inf"), float("nan")])
def test_a_shape_that_is_not_positive_is_refused(a):
    with pytest.raises(ValueError, match="shape"):
        gamma_q(a, 1.0)


def test_pair_cumulants():
    assert pair_cumulants([]) == (0, 0.0)
    assert pair_cumulants([2]) == (1, 1.0)  # one pair: A - 1, A the fixed points: 1, 1
    variance, third = pair_cumulants([3, 3])
    assert variance == 6 and third == pytest.approx(6 * (1 + 2 / 51))
    q = 1 / 52
    variance, third = pair_cumulants([3], ONE_CARD)
    assert variance == pytest.approx(3 * q * (1 - q))
    assert third == pytest.approx(3 * q * (1 - q) * (1 - 2 * q) + 6 * q * q * (1 - q))


def test_the_cumulants_of_one_cards_agreements_are_exact():
    """Three hands, one card: every placement of it enumerated."""
    q = 1 / 52
    sums = [(a == b) + (a == c) + (b == c) - 3 * q
            for a in range(52) for b in range(52) for c in range(52)]
    mean = sum(sums) / len(sums)
    variance, third = pair_cumulants([3], ONE_CARD)
    assert mean == pytest.approx(0, abs=1e-12)
    assert sum(x * x for x in sums) / len(sums) == pytest.approx(variance)
    assert sum(x ** 3 for x in sums) / len(sums) == pytest.approx(third)


@pytest.mark.parametrize("excess", [-40_000.0, 0.0, 30_000.0, 80_000.0])
def test_the_fit_of_one_group_tends_to_the_chi_square(excess):
    hands = 1_000_000
    statistic = 2601 + 102 * excess / hands
    lower, upper = pair_tails(excess, *pair_cumulants([hands]))
    assert upper == pytest.approx(chi2_sf(statistic, 2601), rel=0.01)
    assert lower + upper == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("value", [30.0, 51.0, 80.0, 120.0])
def test_the_fit_of_one_cards_positions_tends_to_the_chi_square(value):
    hands = 10_000_000
    excess = (value - 51) * hands / 104
    assert pair_tails(excess, *pair_cumulants([hands], ONE_CARD))[1] == pytest.approx(
        chi2_sf(value, 51), rel=0.01)


def test_two_sided_doubles_the_smaller_tail():
    assert two_sided((0.01, 0.99)) == pytest.approx(0.02)
    assert two_sided((0.7, 0.3)) == pytest.approx(0.6)
    assert two_sided((0.5, 0.5)) == 1.0


def test_a_sum_without_pairs_is_refused():
    with pytest.raises(ValueError, match="pair"):
        pair_tails(0, 0, 0.0)
