"""sim: an event-sourced no-limit hold'em engine and the fuzz-testing harness around it."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def stale_builds(root: Path) -> list[str]:
    """The sources under ``root`` edited after mypyc compiled them (paths from root's parent).

    An editable install keeps the compiled modules beside the sources, and Python imports a
    compiled module in preference to its ``.py``: after an edit, the old code would run.
    """
    stale = []
    for built in root.glob("**/*.so"):
        source = built.with_name(built.name.split(".", 1)[0] + ".py")
        if source.exists() and source.stat().st_mtime > built.stat().st_mtime + 1:
            stale.append(str(source.relative_to(root.parent)))
    return sorted(stale)


_stale = stale_builds(Path(__file__).parent)
if _stale:
    raise ImportError(
        f"{', '.join(_stale)} changed after it was compiled, so the compiled copy is out of "
        "date. Rebuild with `make install` (or `pip install -e .`); `make clean` removes the "
        "compiled modules and runs plain Python.")
