"""``sim fuzz``: play steered tables until the time is up, then triage what broke.

``fuzz(settings, Path("runs/nightly"), workers=2, minutes=30)`` returns the run's
summary, ``result.command`` (``sim fuzz --seed 7 --tables 812 ...``: exactly the same
tables again) and ``result.bugs`` (one per failure signature, each with a shrunk repro).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from pathlib import Path

from sim.failures.triage import Bug, triage
from sim.fuzz.source import FuzzSource
from sim.fuzz.steer import Steering
from sim.limits import DUMPS_PER_SIGNATURE
from sim.run import Progress, RunSummary, run
from sim.runner.settings import RunSettings, checking_options
from sim.store.writer import Store


@dataclass(slots=True)
class FuzzResult:
    summary: RunSummary
    tables: int  # tables chosen (and played, unless interrupted)
    command: str  # the command that plays exactly these tables again
    bugs: list[Bug]


def fuzz_command(settings: RunSettings, tables: int, workers: int, out: Path | None = None,
                 backend: str = "pool") -> str:
    """The one command that plays the fuzz's ``tables`` tables again (shell-quoted)."""
    parts = ["sim", "fuzz", "--seed", str(settings.seed), "--tables", str(tables),
             "--workers", str(workers), "--hands-per-table", str(settings.hands_per_table)]
    if backend != "pool":
        parts += ["--backend", backend]
    if out is not None:
        parts += ["--out", str(out)]
    if settings.keep_hands != "failing":
        parts += ["--keep-hands", settings.keep_hands]
    return shlex.join(parts + checking_options(settings))


def fuzz(settings: RunSettings, out: Path, workers: int, minutes: float | None = None,
         tables: int | None = None, backend: str = "pool", scheduler: str | None = None,
         shrink_seconds: float = 30.0, progress: Progress | None = None,
         keep_hands: str = "failing",
         dumps_per_signature: int | None = DUMPS_PER_SIGNATURE) -> FuzzResult:
    """Play steered tables for ``minutes`` (or exactly ``tables`` of them), store them in
    ``out`` like any run, then triage: each failure signature shrunk within
    ``shrink_seconds``. A fuzz stores its failing tables' hand rows only (enough to
    replay, shrink and export them), unless ``keep_hands="all"``; every table's summary,
    coverage and failures either way; the first ``dumps_per_signature`` dumps of each
    signature."""
    settings = replace(settings, fuzz=True, keep_hands=keep_hands)
    source = FuzzSource(Steering(settings.seed), settings.hands_per_table,
                        seconds=minutes * 60 if minutes is not None else None, tables=tables)
    pending = fuzz_command(settings, tables or 0, workers, out, backend)
    summary = run(settings, out, workers, pending, backend=backend, scheduler=scheduler,
                  source=source, progress=progress, dumps_per_signature=dumps_per_signature)
    command = fuzz_command(settings, source.chosen, workers, out, backend)
    with Store(out / "stats.duckdb") as store:
        store.set_command(summary.run_id, command, source.chosen * settings.hands_per_table)
    bugs = triage(out, shrink_seconds) if summary.findings() else []
    return FuzzResult(summary, source.chosen, command, bugs)
