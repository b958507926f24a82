"""Build: the hot path (engine, invariants, bots, runner; the PHH reader and planner) is
compiled with mypyc.

The harness checks every invariant after every dispatch; compiled, the same code runs about
twice as fast (``benchmarks/harness.py`` measures both). Everything else (the command line,
the store, reports) stays plain Python. ``SIM_PURE=1 pip install -e .`` skips compiling; so
does a machine without a C compiler, with a warning. Either way the package works the same.

With an editable install the compiled modules sit beside their sources (``sim/**/*.so``)
and Python prefers them, so after editing a compiled module rebuild with ``make install``
(``sim`` refuses to start on stale compiled modules; see ``stale_builds`` in
``sim/__init__.py``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).parent
# The modules that run per dispatch, and the PHH reader and planner (sim check-phh).
COMPILED = sorted(
    str(path.relative_to(ROOT))
    for pattern in ("sim/engine/*.py", "sim/invariants/*.py", "sim/bots/*.py", "sim/runner/*.py",
                    "sim/driver/*.py",
                    "sim/hooks/*.py", "sim/outside/phh.py", "sim/outside/plan.py")
    for path in ROOT.glob(pattern)
)


def ext_modules() -> list:
    if os.environ.get("SIM_PURE"):
        return []
    if not any(shutil.which(cc) for cc in (os.environ.get("CC", "cc"), "gcc", "clang")):
        print("warning: no C compiler found; sim is installed as plain Python (slower)",
              file=sys.stderr)
        return []
    from mypyc.build import mypycify

    return mypycify(COMPILED, opt_level="3", debug_level="0", multi_file=True)


setup(ext_modules=ext_modules())
