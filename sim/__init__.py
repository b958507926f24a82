"""sim: an event-sourced no-limit hold'em engine and the fuzz-testing harness around it."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def _refuse_stale_builds() -> None:
    """Refuse to run compiled modules older than their sources.

    An editable install keeps mypyc's compiled modules beside the sources, and Python
    imports a compiled module in preference to its ``.py``: after an edit, the old code
    would run. Rebuilding (``make install``) or deleting the ``.so`` files mends it.
    """
    root = Path(__file__).parent
    stale = []
    for built in root.glob("**/*.so"):
        source = built.with_name(built.name.split(".", 1)[0] + ".py")
        if source.exists() and source.stat().st_mtime > built.stat().st_mtime + 1:
            stale.append(str(source.relative_to(root.parent)))
    if stale:
        raise ImportError(
            f"{', '.join(sorted(stale))} changed after it was compiled, so the compiled copy "
            "is out of date. Rebuild with `make install` (or `pip install -e .`); "
            "`make clean` removes the compiled modules and runs plain Python.")


_refuse_stale_builds()
