"""Failure signatures: what varies between tables is taken out, what tells bugs apart stays."""

from __future__ import annotations

from sim.failures.signature import exception_type, innermost_frame, shape, signature
from sim.finding import Finding, Kind

TRACE = '''Traceback (most recent call last):
  File "/x/sim/invariants/pipeline.py", line 95, in dispatch
    events = controller.dispatch(action)
  File "/x/sim/engine/rules.py", line 12, in derive
    x = 1 / 0
  File "/usr/lib/python3.11/fractions.py", line 3, in f
    pass
ZeroDivisionError: division by zero
'''


def test_shape_takes_out_numbers_cards_and_player_names():
    assert shape("seat 3 (maniac-3) holds As Kd, pot 40 != 38") == \
        "seat N (…) holds C, pot N != N"
    # Lists that grow with the hand (pots, shares, boards) count as one element.
    assert shape("awarded [(1, 93, ((2, 93),)), (0, 83, ((5, 41), (2, 42)))] on Qs 2h Th") == \
        shape("awarded [(0, 34, ((0, 17), (3, 17)))] on 3c Ah Ac 3h Ks") == "awarded (…) on C"
    assert shape("Raise to 40 is below the minimum raise to 60.") == \
        "Raise to N is below the minimum raise to N."


def test_the_same_bug_at_two_tables_has_one_signature():
    a = Finding(Kind.INVARIANT, "awards_correct", "pot 1 gave seat 2 41 chips, expected 40", 3)
    b = Finding(Kind.INVARIANT, "awards_correct", "pot 0 gave seat 7 9 chips, expected 8", 11)
    c = Finding(Kind.INVARIANT, "pot_consistency", "pot 0 gave seat 7 9 chips, expected 8", 11)
    assert signature(a) == signature(b) != signature(c)


def test_an_exception_signature_has_its_type_and_innermost_frame_of_ours():
    assert exception_type(TRACE) == "ZeroDivisionError"
    assert innermost_frame(TRACE) == "sim/engine/rules.py:derive"
    finding = Finding(Kind.ENGINE_EXCEPTION, "engine_exception", "raised 1", trace=TRACE)
    assert signature(finding) == ("engine_exception: raised N | ZeroDivisionError | "
                                  "sim/engine/rules.py:derive")
    other = Finding(Kind.ENGINE_EXCEPTION, "engine_exception", "raised 1",
                    trace=TRACE.replace("in derive", "in verify"))
    assert signature(other) != signature(finding)


def test_an_invariant_signature_ignores_the_trace():
    a = Finding(Kind.INVARIANT, "x", "m", trace=TRACE)
    assert signature(a) == signature(Finding(Kind.INVARIANT, "x", "m")) == "x: m"
