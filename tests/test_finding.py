"""The one finding type: kinds, exit codes and their order, locating, JSON."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sim import exits
from sim.finding import (
    EXIT_CODES,
    Finding,
    FindingError,
    Kind,
    Message,
    exit_code,
    invariant_failed,
)


def test_every_kind_has_an_exit_code_and_exceptions_are_3():
    assert set(EXIT_CODES) == set(Kind)
    assert {kind for kind in Kind if kind.is_exception} == {
        Kind.ENGINE_EXCEPTION, Kind.CHECK_EXCEPTION, Kind.WORKER_CRASHED, Kind.BOT_FAULT}
    assert Kind.INVARIANT.exit_code == Kind.LEGAL_ACTION_REFUSED.exit_code == 1
    assert Kind.LIVENESS.exit_code == 4


@pytest.mark.parametrize(("kinds", "interrupted", "code"), [
    ([], False, 0), ([], True, 130), ([Kind.INVARIANT], True, 1),
    ([Kind.INVARIANT, Kind.LIVENESS], False, 4),
    ([Kind.LIVENESS, Kind.ENGINE_EXCEPTION, Kind.INVARIANT], False, 3),
    ([Kind.WORKER_CRASHED], False, 3), ([Kind.LEGAL_ACTION_REFUSED], False, 1),
])
def test_the_most_severe_kind_decides_the_exit_code(kinds, interrupted, code):
    assert exit_code(kinds, interrupted) == code


def test_liveness_findings_are_of_kind_liveness():
    assert invariant_failed("liveness", Message("x")).finding.kind is Kind.LIVENESS
    assert invariant_failed("pot_consistency", Message("x")).finding.kind is Kind.INVARIANT


def test_a_finding_keeps_its_messages_template_as_its_shape():
    finding = invariant_failed("pots", Message("Pot {pot} is {chips} chips, {{not}} {paid}.",
                                               pot=1, chips=40, paid=38)).finding
    assert finding.message == "Pot 1 is 40 chips, {not} 38."
    assert finding.shape == "Pot {pot} is {chips} chips, {not} {paid}."
    assert Finding.from_dict(finding.to_dict()) == finding


def test_the_exit_codes_are_one_table_and_each_means_one_thing():
    codes = [code for code, _ in exits.TABLE]
    assert len(codes) == len(set(codes)) == len(exits.CODES)
    assert set(EXIT_CODES.values()) <= set(codes)
    assert exits.markdown().count("\n") == len(codes) + 2


def test_the_readme_shows_the_exit_code_table_as_the_code_has_it():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert exits.markdown() in readme


def test_at_fills_only_what_is_missing():
    finding = Finding(Kind.INVARIANT, "a", "b", table_id=3)
    located = finding.at(table_id=9, hand_no=4, dispatch=2, trace="t")
    assert (located.table_id, located.hand_no, located.dispatch, located.trace) == (3, 4, 2, "t")
    assert finding.hand_no is None  # a value: the original is unchanged


def test_a_finding_survives_json_and_pickling():
    finding = Finding(Kind.LIVENESS, "liveness", "no end", 1, 2, 3, "trace")
    assert Finding.from_dict(finding.to_dict()) == finding
    error = pickle.loads(pickle.dumps(FindingError(finding)))
    assert error.finding == finding and str(error) == "liveness: no end"
