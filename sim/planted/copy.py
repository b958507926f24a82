"""The patched copy of the package: plain Python, with some planted bugs' edits applied.

``patched_copy(names)`` returns a folder holding a ``sim`` package: the package's sources
(never its compiled modules) with the named bugs applied, built once and kept in a cache
keyed by the sources' content, their place and the bugs' names, so a changed source,
another checkout or another set of bugs is another copy. Code run from that folder
(``sys.path`` first) is the buggy engine; ``carried()`` tells which bugs the running code
carries.

    folder = patched_copy(["odd_chip_to_button"])     # .../planted/<key>/sim
    carried()                                         # () here; the names, in the copy

The cache is ``$SIM_PLANTED_CACHE``, else ``$XDG_CACHE_HOME/sim/planted``, else
``~/.cache/sim/planted``. A copy is written aside and renamed into place when whole, so
processes building the same copy at once never see half of one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import sim
from sim.planted import _carried
from sim.planted.catalogue import CATALOGUE, known
from sim.planted.patch import patched

CARRIED_FILE: Final = Path("planted") / "_carried.py"


def carried() -> tuple[str, ...]:
    """The planted bugs the running code carries (sorted): () in the package itself."""
    return _carried.CARRIED


class NotCarried(RuntimeError):
    """The running code does not carry the planted bugs a job needs."""


def require(names: Iterable[str]) -> None:
    """NotCarried unless the running code carries exactly the planted bugs ``names``: a
    job that needs them runs in their copy (``sim.planted.child``), never on an engine
    without them (it would report "clean" for bugs it never planted)."""
    wanted = known(names)
    if wanted != carried():
        raise NotCarried(f"this needs the engine with planted bugs "
                         f"{', '.join(wanted) or 'none'}, and the running code carries "
                         f"{', '.join(carried()) or 'none'}: run it in their copy "
                         "(sim.planted.copy.patched_copy; `sim` commands do this themselves)")


def pristine() -> Path:
    """The package's own sources (also when this is a patched copy of them)."""
    return Path(_carried.SOURCE) if _carried.SOURCE else Path(sim.__file__).resolve().parent


def cache_root() -> Path:
    given = os.environ.get("SIM_PLANTED_CACHE")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sim" / "planted"


def patched_copy(names: Iterable[str]) -> Path:
    """The folder whose ``sim`` package carries exactly the bugs ``names`` (see the module
    docstring); ValueError for a name not in the catalogue, PatchError for an edit that no
    longer applies."""
    bugs = known(names)
    root = pristine()
    # The checkout's place too: a copy knows the sources it was made from (``pristine``),
    # and two checkouts of the same sources must not share one.
    key = hashlib.sha256(f"{sources_digest(root)}|{root}|{','.join(bugs)}".encode()
                         ).hexdigest()[:20]
    target = cache_root() / key
    if (target / "sim" / CARRIED_FILE).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=target.parent))
    try:
        shutil.copytree(root, building / "sim",
                        ignore=shutil.ignore_patterns("*.so", "*.pyc", "__pycache__"))
        for file in sorted({file for name in bugs for file in CATALOGUE[name].files}):
            path = building / "sim" / file
            text = path.read_text()
            for name in bugs:
                text = patched(text, CATALOGUE[name], file)
            path.write_text(text)
        (building / "sim" / CARRIED_FILE).write_text(
            '"""The planted bugs this patched copy carries (written by sim.planted.copy)."""\n'
            f"CARRIED: tuple[str, ...] = {bugs!r}\nSOURCE: str | None = {str(root)!r}\n")
        try:
            os.rename(building, target)
        except OSError:  # another process built it first: theirs is the same
            if not (target / "sim" / CARRIED_FILE).is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def sources_digest(root: Path) -> str:
    """A digest of every source file of the package at ``root`` (path and content)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
