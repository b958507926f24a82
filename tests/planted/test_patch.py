"""sim.planted.patch: every planted bug's edits apply to the current source, each exactly
once, alone and all together, and the result compiles; an edit that no longer applies is
refused naming its bug (so the catalogue is mended, never a bug silently not planted)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest

import sim
from sim.planted.bug import Edit, PlantedBug
from sim.planted.catalogue import CATALOGUE
from sim.planted.patch import PatchError, patched

PACKAGE = Path(sim.__file__).resolve().parent
FILES = sorted({edit.file for bug in CATALOGUE.values() for edit in bug.edits})


def source(file: str) -> str:
    return (PACKAGE / file).read_text()


def planted_source(bug: PlantedBug) -> dict[str, str]:
    """Each file ``bug`` edits, with its edits applied (PatchError naming it when one does
    not apply exactly once); every result compiles."""
    out = {}
    for file in bug.files:
        text = patched(source(file), bug, file)
        compile(text, file, "exec")
        out[file] = text
    return out


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_edit_of_a_bug_applies_exactly_once(name):
    bug = CATALOGUE[name]
    for file, text in planted_source(bug).items():
        original = source(file)
        assert text != original
        for edit in bug.edits:
            if edit.file == file:
                assert original.count(edit.old) == 1, (name, edit.old)
                assert edit.new in text, (name, edit.new)


def test_an_edit_that_no_longer_applies_is_refused_naming_its_bug():
    bug = CATALOGUE["odd_chip_to_button"]
    edit = bug.edits[0]
    moved = replace(bug, edits=(replace(edit, old=edit.old + "  # moved away"),))
    with pytest.raises(PatchError) as refused:
        planted_source(moved)
    assert str(refused.value).startswith(
        f"planted bug odd_chip_to_button: its edit of {edit.file} finds "
        f"{edit.old + '  # moved away'!r} there 0 times, not once;")
    assert "mend the edit in the catalogue" in str(refused.value)
    # Text found twice does not say where the edit goes either.
    with pytest.raises(PatchError, match="odd_chip_to_button: .* there 2 times, not once"):
        patched(source(edit.file) + edit.old, bug, edit.file)


def test_a_bugs_edits_apply_in_order_and_only_to_their_own_file():
    bug = PlantedBug("x", "X.", (Edit("a.py", "b = 1", "b = 2"), Edit("a.py", "b = 2", "c = 3"),
                                 Edit("other.py", "a = 0", "gone")), caught_by="y", hands=1)
    assert patched("a = 0\nb = 1\n", bug, "a.py") == "a = 0\nc = 3\n"
    assert bug.files == ("a.py", "other.py")


def test_no_two_bugs_edit_the_same_text():
    spans: dict[str, list[tuple[int, int, str]]] = {file: [] for file in FILES}
    for bug in CATALOGUE.values():
        for edit in bug.edits:
            start = source(edit.file).index(edit.old)
            spans[edit.file].append((start, start + len(edit.old), bug.name))
    for file, found in spans.items():
        found.sort()
        for (_, end, one), (start, _, other) in pairwise(found):
            assert end <= start, f"{one} and {other} edit the same text of {file}"


def test_every_bugs_edits_apply_together_and_compile():
    # In the order a copy applies them (sim.planted.copy: the bugs' names sorted), and the
    # other way round.
    for order in (sorted(CATALOGUE), sorted(CATALOGUE, reverse=True)):
        for file in FILES:
            text = source(file)
            for name in order:
                text = patched(text, CATALOGUE[name], file)
            compile(text, file, "exec")
            for name in order:
                for edit in CATALOGUE[name].edits:
                    if edit.file == file:
                        assert edit.new in text, (name, edit.new)
