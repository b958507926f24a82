"""The guard against stale compiled modules (an editable install keeps them beside the
sources, and Python would import an old compiled copy over an edited source)."""

from __future__ import annotations

import os
from pathlib import Path

from sim import stale_builds


def touch(path: Path, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    os.utime(path, (mtime, mtime))


def test_a_source_edited_after_its_build_is_stale(tmp_path: Path) -> None:
    root = tmp_path / "sim"
    touch(root / "engine" / "rules.py", 2_000)
    touch(root / "engine" / "rules.cpython-311-x86_64-linux-gnu.so", 1_000)
    touch(root / "engine" / "state.py", 1_000)
    touch(root / "engine" / "state.cpython-311-x86_64-linux-gnu.so", 2_000)
    touch(root / "cli.py", 3_000)  # never compiled: no .so, never stale
    assert stale_builds(root) == ["sim/engine/rules.py"]


def test_a_fresh_build_is_not_stale(tmp_path: Path) -> None:
    root = tmp_path / "sim"
    touch(root / "runner.py", 1_000)
    touch(root / "runner.cpython-311-x86_64-linux-gnu.so", 1_000.5)  # written in one install
    assert stale_builds(root) == []

