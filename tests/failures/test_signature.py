"""Failure signatures: what varies between tables is taken out, what tells bugs apart stays."""

from __future__ import annotations

import pytest

from sim.engine.actions import Call, Check, RaiseTo
from sim.failures.signature import exception_type, innermost_frame, same_bug, signature
from sim.finding import Finding, Kind, Message, Quoted, guessed_shape, shown
from sim.invariants.base import seats_text

TRACE = '''Traceback (most recent call last):
  File "/x/sim/invariants/pipeline.py", line 95, in dispatch
    events = controller.dispatch(action)
  File "/x/sim/engine/rules.py", line 12, in derive
    x = 1 / 0
  File "/usr/lib/python3.11/fractions.py", line 3, in f
    pass
ZeroDivisionError: division by zero
'''


def test_a_guessed_shape_takes_out_numbers_cards_and_player_names():
    shape = guessed_shape
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
    c = Finding(Kind.INVARIANT, "awards_correct", "pot 0 gave seat 7 nothing", 11)
    assert signature(a) == signature(b) != signature(c)


def test_which_check_noticed_is_not_part_of_the_signature():
    """One failure two checks can see (an accepted action the rules forbid, probed by
    verify_agrees or dispatched and judged by action_legal) is one bug."""
    why = Message("seat {seat} may not check: {owed} is owed", seat=1, owed=4)
    probed, dispatched = (Finding.of(Kind.INVARIANT, name, Message(
        "The engine accepted {action} though {why}.", action=shown(Check(1)), why=why))
        for name in ("verify_agrees", "action_legal"))
    assert signature(probed) == signature(dispatched)


def test_an_exception_signature_has_its_type_and_innermost_frame_of_ours():
    assert exception_type(TRACE) == "ZeroDivisionError"
    assert innermost_frame(TRACE) == "sim/engine/rules.py:derive"
    finding = Finding(Kind.ENGINE_EXCEPTION, "engine_exception", "raised 1", trace=TRACE)
    assert signature(finding) == "raised N | ZeroDivisionError | sim/engine/rules.py:derive"
    other = Finding(Kind.ENGINE_EXCEPTION, "engine_exception", "raised 1",
                    trace=TRACE.replace("in derive", "in verify"))
    assert signature(other) != signature(finding)


def test_an_invariant_signature_ignores_the_trace():
    a = Finding(Kind.INVARIANT, "x", "m", trace=TRACE)
    assert signature(a) == signature(Finding(Kind.INVARIANT, "x", "m")) == "m"


# -- templates: what varies is a value, whatever its form ---------------------------------

@pytest.mark.parametrize("seats", [[], [3], [1, 4], [0, 2, 5, 7, 9]])
def test_a_list_of_any_length_is_one_value_of_the_shape(seats):
    """The bug this guards: one planted bug gave two triage rows because an empty seat list
    reads "none" and a full one "1, 4"."""
    finding = Finding.of(Kind.INVARIANT, "pots", Message(
        "Pot {pot} of {chips} chips is eligible to seats {seats}.", pot=1, chips=40,
        seats=seats_text(seats)))
    assert signature(finding) == "Pot {pot} of {chips} chips is eligible to seats {seats}."
    assert str(seats_text(seats)) in finding.message


def test_values_of_every_form_leave_the_shape_alone():
    template = "Seat {seat} holds {cards} and {joined} ({when}), pot {pots}."
    shapes = {Message(template, seat=s, cards=c, joined=j, when=w, pots=p).shape
              for s, c, j, w, p in [(1, "As Kd", "a and b", "during", [(40, (1, 2))]),
                                    (9, "", "nothing", "between", []),
                                    (0, "2c", "x + y / z", "", "none")]}
    assert shapes == {template}


def test_a_nested_reason_keeps_its_template_so_two_bugs_stay_two():
    def accepted(action, why):
        return Finding.of(Kind.INVARIANT, "action_legal", Message(
            "The engine accepted {action} though {why}.", action=shown(action), why=why))
    owes = accepted(Check(1), Message("seat {seat} may not check: {owed} is owed", seat=1,
                                      owed=4))
    owes_again = accepted(Check(3), Message("seat {seat} may not check: {owed} is owed",
                                            seat=3, owed=90))
    small = accepted(RaiseTo(1, 7), Message("seat {seat} may raise to {low} to {high}, not "
                                            "{amount}", seat=1, low=40, high=90, amount=7))
    assert signature(owes) == signature(owes_again) != signature(small)
    assert same_bug(owes, owes_again) and not same_bug(owes, small)


def test_an_action_keeps_its_kind_in_the_shape_and_a_quoted_sentence_its_guessed_shape():
    assert shown(Call(3)).shape == "Call(…)" and str(shown(Call(3))) == "Call(seat=3)"
    assert shown(Call(3)).shape != shown(Check(3)).shape
    assert Quoted("Raise to 40 is below 60.").shape == "Raise to N is below N."


def test_findings_recorded_without_a_template_compare_by_their_guessed_shapes():
    old = Finding(Kind.INVARIANT, "pots", "Pot 1 of 40 chips is eligible to seats 1, 4.")
    new = Finding.of(Kind.INVARIANT, "pots", Message(
        "Pot {pot} of {chips} chips is eligible to seats {seats}.", pot=0, chips=9,
        seats="2, 3"))
    other = Finding.of(Kind.INVARIANT, "pots", Message("Pot {pot} is empty.", pot=0))
    assert same_bug(old, new) and not same_bug(old, other)
