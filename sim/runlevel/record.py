"""The end of a run: its run-level checks tested, and each failed check recorded.

``sim.run`` calls ``check_run`` once every table is stored: the checks run over the
decks its tables brought back (``sim.runlevel.decks.RunDecks``); each failed check gets
a dump of its own (``sim.runlevel.dump``) and a row of ``failures`` with no table and no
hand, and the run's log says what was tested and what failed.

    checked = check_run(decks, store, "demo", settings, command="sim run ...")
    checked.lines(), [failed.finding for failed in checked.failed]
"""

from __future__ import annotations

import logging
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.failures.signature import signature
from sim.runlevel.checks import Evaluation, Failed, evaluate
from sim.runlevel.decks import RunDecks
from sim.runlevel.dump import RunCheckDump

if TYPE_CHECKING:  # the store and the settings are the run's; this module needs neither
    from sim.runner.settings import RunSettings
    from sim.store.writer import Store

log = logging.getLogger("sim.run")


@dataclass(frozen=True, slots=True)
class RunChecked:
    """A run's checks: their evaluation, the checks that failed, and the command that
    replays each one's dump (None: no dump was written)."""

    evaluation: Evaluation
    failed: tuple[Failed, ...] = ()
    replays: tuple[str | None, ...] = ()

    def lines(self) -> list[str]:
        """What the run's summary says of them."""
        lines = [self.evaluation.line()]
        for check, replay in zip(self.failed, self.replays, strict=True):
            lines.append(f"  {check.finding}")
            if replay:
                lines.append(f"    replay: {replay}")
        return lines


def check_run(decks: RunDecks, store: Store, run_id: str, settings: RunSettings,
              command: str) -> RunChecked:
    """Test ``decks`` (the run's), and record each failed check in ``store`` and, when
    ``settings.failures_dir`` is set, as a dump."""
    evaluation = evaluate(decks)
    log.info(evaluation.line())
    failed = evaluation.failed()
    tables = list(decks.tables()) if failed else []
    replays = []
    for check in failed:
        dump = RunCheckDump.of(check, run_id, settings.seed, command, settings.planted,
                               tables, decks.digest, evaluation.alpha,
                               len(evaluation.judged))
        path = dump.write(settings.failures_dir) if settings.failures_dir else None
        replay = shlex.join(["sim", "replay", str(path)]) if path else None
        store.write_run_finding(run_id, check.finding, settings.planted,
                                str(path) if path else None, replay,
                                signature(check.finding))
        log.warning("run-level check failed: %s", check.finding)
        replays.append(replay)
    return RunChecked(evaluation, tuple(failed), tuple(replays))
