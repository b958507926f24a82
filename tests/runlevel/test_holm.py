"""Holm's step-down correction."""

from __future__ import annotations

import pytest

from sim.runlevel.holm import holm


def test_it_steps_down_and_stops_at_the_first_it_keeps():
    judged = holm([0.01, 0.04, 0.03, 0.005], alpha=0.05)
    assert [rejected for rejected, _ in judged] == [True, False, False, True]
    # 0.005 x 4, 0.01 x 3, 0.03 x 2, then 0.04 x 1 held up to the 0.06 before it
    assert [p for _, p in judged] == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_adjusted_p_values_never_exceed_one_and_keep_tiny_ones():
    judged = holm([1e-200, 0.9, 0.8], alpha=1e-4)
    assert judged[0] == (True, pytest.approx(3e-200))
    assert judged[1][1] == 1.0 and judged[2][1] == 1.0


def test_one_test_is_its_own_p_value():
    assert holm([0.00009], alpha=1e-4) == [(True, 0.00009)]
    assert holm([], alpha=1e-4) == []


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1])
def test_an_alpha_outside_zero_to_one_is_refused(alpha):
    with pytest.raises(ValueError, match="alpha"):
        holm([0.5], alpha)
