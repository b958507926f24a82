"""sim.planted.catalogue: one record per planted bug, gathered from the area modules, each
naming a finding that exists, a fault that parses, and a positive number of hands.

(`sim bugs` lists every record, in order: tests/cli/test_run_command.py.)"""

from __future__ import annotations

import re

import pytest

from sim.hooks.faults import parse
from sim.invariants.base import INVARIANTS, select
from sim.planted import betting, dealing, harness, seats, showdown, statistics, views
from sim.planted.catalogue import CATALOGUE, RUN_LEVEL, known
from sim.runlevel.checks import CHECKS

AREAS = (seats, dealing, betting, showdown, views, harness, statistics)
# The finding each engine fault makes when it catches something (sim.hooks.faults).
FAULT_FINDINGS = {"crash_restore": "crash_restore", "duplicate_dispatch": "duplicate_dispatch",
                  "determinism": "determinism", "hand_timeout": "liveness"}
# The names of the run-level checks' findings (checks of a whole run, not of a dispatch).
RUN_LEVEL_CHECKS: frozenset[str] = frozenset(CHECKS)

select(None)  # registers every invariant, so INVARIANTS is complete below


def test_every_area_bug_is_in_the_catalogue_once():
    names = [bug.name for area in AREAS for bug in area.BUGS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert names == list(CATALOGUE)  # the catalogue's order: area by area
    assert all(CATALOGUE[name].name == name for name in CATALOGUE)


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_a_record_is_whole(name):
    bug = CATALOGUE[name]
    # A name goes on the command line and into file names (tests/regressions/planted-*).
    assert re.fullmatch(r"[a-z][a-z0-9_]*", bug.name), bug.name
    assert bug.description.strip() and bug.description.endswith("."), bug.description
    assert bug.edits, f"{name} edits nothing"
    for edit in bug.edits:
        assert edit.old and edit.old != edit.new, edit
        assert re.fullmatch(r"[a-z_]+(/[a-z_]+)*\.py", edit.file), edit.file
    if bug.hangs_process:  # the benchmark cannot play it: only a run's main process can
        assert bug.hands is None and bug.caught_by == "liveness", bug
    else:
        assert type(bug.hands) is int and bug.hands > 0, bug.hands


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_what_catches_a_bug_is_a_finding_that_exists(name):
    bug = CATALOGUE[name]
    assert bug.caught_by in set(INVARIANTS) | set(FAULT_FINDINGS.values()) | RUN_LEVEL_CHECKS, \
        f"{name} is caught by {bug.caught_by}, which no invariant, fault or run check makes"
    if bug.fault is None:  # the findings only a fault makes need their fault
        assert bug.caught_by not in set(FAULT_FINDINGS.values()) - set(INVARIANTS), name


@pytest.mark.parametrize("name", [bug.name for bug in CATALOGUE.values() if bug.fault])
def test_a_bugs_fault_parses_and_makes_the_finding_that_catches_it(name):
    bug = CATALOGUE[name]
    assert bug.fault is not None
    fault = parse(bug.fault)
    assert fault.spec() == bug.fault
    assert fault.replayed  # a replay of its dumps injects it again, so they reproduce
    assert FAULT_FINDINGS[fault.name] == bug.caught_by


def test_known_sorts_and_dedupes_names_and_refuses_unknown_ones():
    assert known(["uncalled_bet_kept", "odd_chip_to_button", "uncalled_bet_kept"]) == \
        ("odd_chip_to_button", "uncalled_bet_kept")
    assert known([]) == ()
    with pytest.raises(ValueError) as refused:
        known(["odd_chip_to_button", "gremlin"])
    message = str(refused.value)
    assert message.startswith("Unknown planted bug gremlin; known bugs are ")
    assert all(name in message for name in CATALOGUE)


def test_the_run_level_bugs_are_caught_by_run_level_checks():
    assert RUN_LEVEL and all(CATALOGUE[name].caught_by in CHECKS for name in RUN_LEVEL)
    assert not [bug.name for bug in CATALOGUE.values()
                if bug.caught_by in CHECKS and bug.name not in RUN_LEVEL]
