"""sim.planted.copy: the patched copy of the package for a set of planted bugs is built once
and reused (cached by the sources' content and the bugs' names), holds plain Python only,
carries its names, ends whole when several processes build it at once, and leaves nothing
half-built behind; ``require`` refuses a job whose bugs the running code does not carry.

The cache is a temporary folder ($SIM_PLANTED_CACHE) in every test that builds one, and a
temporary package tree stands in for the package where a test changes its sources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import in_copy

import sim
from sim.planted import _carried
from sim.planted.catalogue import CATALOGUE
from sim.planted.copy import CARRIED_FILE, NotCarried, carried, patched_copy, pristine, require
from sim.planted.patch import PatchError

PACKAGE = Path(sim.__file__).resolve().parent
BUG, OTHER = "odd_chip_to_button", "uncalled_bet_kept"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SIM_PLANTED_CACHE", str(folder))
    return folder


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package tree standing in for the package (its sources, and what a compiled install
    leaves beside them: a mypyc module and bytecode)."""
    folder = tmp_path / "src" / "sim"
    shutil.copytree(PACKAGE, folder, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    (folder / "engine" / "rules.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    (folder / "engine" / "__pycache__").mkdir()
    (folder / "engine" / "__pycache__" / "rules.cpython-311.pyc").write_bytes(b"\0")
    monkeypatch.setattr(_carried, "SOURCE", str(folder))  # pristine(): this tree
    return folder


def sources(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*.py")}


def test_the_package_itself_carries_no_bug():
    assert carried() == ()
    assert pristine() == PACKAGE


def test_a_copy_is_built_once_and_reused(cache):
    first = patched_copy([BUG])
    assert first.parent == cache
    kept = first / "sim" / "kept"
    kept.write_text("a rebuild would lose this")
    assert patched_copy([BUG]) == first and kept.exists()
    assert patched_copy([BUG, BUG]) == first
    other = patched_copy([OTHER])
    both = patched_copy([OTHER, BUG])
    assert patched_copy([BUG, OTHER]) == both
    none = patched_copy([])
    assert len({first, other, both, none}) == 4
    # Nothing else in the cache: no copy half-built, no folder it was built in.
    assert {path.name for path in cache.iterdir()} == {first.name, other.name, both.name,
                                                       none.name}


def test_a_changed_source_is_another_copy(cache, tree):
    first = patched_copy([BUG])
    assert patched_copy([BUG]) == first
    pots = tree / "engine" / "pots.py"
    pots.write_text(pots.read_text() + "# changed\n")
    second = patched_copy([BUG])
    assert second != first
    assert (second / "sim" / "engine" / "pots.py").read_text().endswith("# changed\n")
    assert not (first / "sim" / "engine" / "pots.py").read_text().endswith("# changed\n")


def test_a_copy_is_plain_python_with_its_edits(cache, tree):
    folder = patched_copy([BUG, OTHER]) / "sim"
    assert list(folder.rglob("*.so")) == []
    assert list(folder.rglob("*.pyc")) == [] and list(folder.rglob("__pycache__")) == []
    assert sources(folder) == sources(tree)
    edited = {edit.file for name in (BUG, OTHER) for edit in CATALOGUE[name].edits}
    for file in sources(tree) - {str(CARRIED_FILE)}:
        text, original = (folder / file).read_text(), (tree / file).read_text()
        assert (text != original) == (file in edited), file
    for name in (BUG, OTHER):
        for edit in CATALOGUE[name].edits:
            assert edit.new in (folder / edit.file).read_text()
    assert (folder / CARRIED_FILE).read_text().endswith(
        f"CARRIED: tuple[str, ...] = {(BUG, OTHER)!r}\nSOURCE: str | None = {str(tree)!r}\n")


def test_the_copy_carries_its_names_and_knows_the_package_it_was_made_from():
    folder = patched_copy([OTHER, BUG])
    result = in_copy([OTHER, BUG], """
        import sim
        from sim.planted.copy import carried, patched_copy, pristine
        result = [list(carried()), sim.__file__, str(pristine()), str(patched_copy(names))]
        """, names=[OTHER])
    running, module, source, other = result
    assert running == [BUG, OTHER]  # sorted
    assert Path(module) == folder / "sim" / "__init__.py"
    assert Path(source) == PACKAGE
    # A copy made from within a copy is made from the package: the same copy as here.
    assert Path(other) == patched_copy([OTHER])


def test_an_edit_that_does_not_apply_leaves_nothing_in_the_cache(cache, monkeypatch):
    bug = CATALOGUE[BUG]
    edit = bug.edits[0]
    monkeypatch.setitem(CATALOGUE, BUG, replace(bug, edits=(replace(edit, old="no such text"),)))
    with pytest.raises(PatchError, match=f"planted bug {BUG}: its edit of {edit.file} finds"):
        patched_copy([BUG])
    assert list(cache.iterdir()) == []


BUILD = textwrap.dedent("""
    import os, shutil, sys, time
    from sim.planted.copy import patched_copy
    copytree, rename = shutil.copytree, os.rename

    def slow_copytree(*args, **kwargs):  # so that every builder is building at once
        done = copytree(*args, **kwargs)
        time.sleep(0.5)
        return done

    def told_rename(source, target):
        try:
            rename(source, target)
        except OSError:
            print("lost the race")
            raise
        print("renamed")

    shutil.copytree, os.rename = slow_copytree, told_rename
    open(sys.argv[3], "w").close()  # ready
    while not os.path.exists(sys.argv[1]):
        time.sleep(0.01)
    print(patched_copy([sys.argv[2]]))
    """)


def test_a_copy_built_by_several_processes_at_once_ends_whole(cache, tmp_path):
    go, ready = tmp_path / "go", [tmp_path / f"ready{n}" for n in range(3)]
    builders = [subprocess.Popen([sys.executable, "-c", BUILD, str(go), BUG, str(path)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env={**os.environ, "SIM_PLANTED_CACHE": str(cache)})
                for path in ready]
    for _ in range(6000):  # 60 s at most: every builder has started before any builds
        if all(path.exists() for path in ready) or any(b.poll() is not None for b in builders):
            break
        time.sleep(0.01)
    go.touch()
    outputs = [builder.communicate(timeout=120) for builder in builders]
    assert all(builder.returncode == 0 for builder in builders), outputs
    said = sorted(out.splitlines()[0] for out, _ in outputs)
    assert said == ["lost the race", "lost the race", "renamed"]  # they did race
    [folder] = {out.splitlines()[1] for out, _ in outputs}
    assert [path.name for path in cache.iterdir()] == [Path(folder).name]
    copy = Path(folder) / "sim"
    assert sources(copy) == sources(PACKAGE)
    assert Path(folder) == patched_copy([BUG])  # whole: found, not built again
    assert in_copy([BUG], "from sim.planted.copy import carried\nresult = carried()") == [BUG]


def test_require_refuses_what_the_running_code_does_not_carry():
    require([])  # the package carries none
    with pytest.raises(NotCarried) as refused:
        require([BUG])
    assert str(refused.value).startswith(
        f"this needs the engine with planted bugs {BUG}, and the running code carries none: "
        "run it in their copy")
    messages = in_copy([BUG], """
        from sim.planted.copy import NotCarried, require
        require(names[:1])  # exactly what it carries
        result = []
        for wanted in (names, [], names[1:]):
            try:
                require(wanted)
            except NotCarried as error:
                result.append(str(error))
        """, names=[BUG, OTHER])
    assert [message.split(": run it")[0] for message in messages] == [
        f"this needs the engine with planted bugs {BUG}, {OTHER}, and the running code "
        f"carries {BUG}",
        f"this needs the engine with planted bugs none, and the running code carries {BUG}",
        f"this needs the engine with planted bugs {OTHER}, and the running code carries {BUG}"]
