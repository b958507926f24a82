"""The faults a run injects on purpose (sim.hooks.faults and a module each): their specs,
that they find nothing on a sound engine, that the watchdog stops a hang and cleans up
after itself, that a duplicate never reaches the table, and that dumps carry them.

That each catches the planted bug written for it is in tests/invariants/test_planted_bugs.py;
that `sim replay` reproduces their dumps is in tests/test_regressions.py. A table played
with a planted bug plays in the copy of the package that carries it (``call_in_copy``),
and what it did comes back to be judged here."""

from __future__ import annotations

import json
import signal
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import call_in_copy, invoke_cli

from sim.bots import draw_table
from sim.driver.hooks import TableHook
from sim.failures.dump import load
from sim.failures.replay import replay
from sim.finding import Kind
from sim.hooks.faults import FAULTS, FUZZ_FAULTS, parse
from sim.runner import RunSettings, TablePlayer, play_table
from sim.runner.settings import reproduce_command

ENGINE_FAULTS = tuple(parse(spec) for spec in ("crash_restore=1", "duplicate_dispatch=1",
                                                "determinism=1", "hand_timeout=30"))


@pytest.mark.parametrize(("spec", "message"), [
    ("crash_restore=2", "crash_restore takes RATE, a number from 0 to 1."),
    ("duplicate_dispatch=-0.1", "duplicate_dispatch takes RATE, a number from 0 to 1."),
    ("determinism=0", "determinism takes N, a whole number of at least 1."),
    ("determinism=2.5", "determinism takes N, a whole number of at least 1."),
    ("hand_timeout=0", "hand_timeout takes SECONDS, a number above 0."),
    ("hand_timeout=inf", "hand_timeout takes SECONDS, a number above 0."),
    ("hand_timeout=soon", "needs a number after '='"),
    ("hang=1", "Unknown fault 'hang'; known faults are crash_worker=TABLE"),
])
def test_a_bad_spec_says_what_is_allowed(spec, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        parse(spec)


def test_sim_run_refuses_a_bad_fault_with_exit_2(tmp_path):
    result = invoke_cli("run", "--hands", 10, "--fault", "crash_restore=2", "--out",
                        tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert "crash_restore takes RATE, a number from 0 to 1." in result.output


def test_every_fault_is_known_and_the_fuzz_defaults_parse():
    # The watchdog is a fault in settings and dumps, but --hand-timeout sets it, not --fault.
    assert {f.name for f in FUZZ_FAULTS} == {"crash_restore", "duplicate_dispatch",
                                              "determinism"}
    assert set(FAULTS) >= {f.name for f in FUZZ_FAULTS}
    assert "hand_timeout" not in FAULTS and parse("hand_timeout=2").replayed
    for fault in FUZZ_FAULTS:
        assert parse(fault.spec()) == fault
        assert fault.replayed
    assert not parse("crash_worker=3").replayed


def test_the_engine_faults_find_nothing_on_a_sound_engine():
    """Every fault on every chance it gets, on swarm tables of every bot kind."""
    settings = RunSettings(seed=11, hands=240, hands_per_table=40, faults=ENGINE_FAULTS,
                           collect_rows=False)
    kinds: set[str] = set()
    for table_id in range(6):
        spec = draw_table(11, table_id)
        kinds |= spec.kinds()
        outcome = play_table(spec, 40, settings)
        assert outcome.finding is None, str(outcome.finding)
        assert outcome.hands == 40 or outcome.stalled
    assert {"chaos", "seat_hopper"} <= kinds
    command = reproduce_command(settings, 1)
    assert "--fault crash_restore=1 --fault duplicate_dispatch=1" in command


def duplicate_accepted() -> dict[str, Any]:
    """(In the copy carrying check_skips_turn.) Table 2 of seed 5 with duplicate
    dispatches: its finding, and the table it left."""
    settings = RunSettings(seed=5, hands=50, hands_per_table=50, planted=("check_skips_turn",),
                           faults=(parse("duplicate_dispatch=1"),), collect_rows=False)
    player = TablePlayer(draw_table(5, 2), 50, settings)
    finding = player.play().finding
    table = player.table
    return {"finding": finding.to_dict() if finding is not None else None,
            "last": table.last is not None,
            # nothing after the last real dispatch committed
            "committed": table.last is not None and table.state is table.last.state,
            "tail": len(table.tail)}


def test_a_duplicate_the_engine_accepts_never_reaches_the_table():
    played = call_in_copy(["check_skips_turn"], duplicate_accepted)
    finding = played["finding"]
    assert finding is not None and finding["name"] == "duplicate_dispatch"
    assert "was accepted" in finding["message"]
    assert played["last"]
    assert played["committed"]  # nothing after the last real dispatch committed
    assert played["tail"] == finding["dispatch"]


def hang_stopped() -> dict[str, Any]:
    """(In the copy carrying dealer_waits_for_leaver.) Table 2 of seed 5 with a watchdog of
    0.3 s: its finding, its dump's faults, its time, and the process's timer and SIGALRM
    handler after it."""
    settings = RunSettings(seed=5, hands=50, hands_per_table=50,
                           planted=("dealer_waits_for_leaver",),
                           faults=(parse("hand_timeout=0.3"),), collect_rows=False)
    previous = signal.getsignal(signal.SIGALRM)
    outcome = play_table(draw_table(5, 2), 50, settings)
    return {"finding": outcome.finding.to_dict() if outcome.finding is not None else None,
            "faults": list(outcome.dump.case.faults) if outcome.dump is not None else None,
            "seconds": outcome.seconds, "timer": list(signal.getitimer(signal.ITIMER_REAL)),
            "handler_back": signal.getsignal(signal.SIGALRM) is previous}


def test_the_watchdog_stops_a_hang_and_the_table_moves_on_in_time():
    played = call_in_copy(["dealer_waits_for_leaver"], hang_stopped)
    finding = played["finding"]
    assert finding is not None and finding["kind"] == Kind.LIVENESS.value
    assert finding["message"] == "the hand did not end within 0.3 s (hand_timeout)"
    assert "dealer.py" in finding["trace"]  # where the engine was stuck
    assert played["faults"] == ["hand_timeout=0.3"]
    assert played["seconds"] < 0.3 + 10  # the hanging hand cost its timeout, not forever
    # The timer is off and the handler put back: nothing fires later in the process that
    # played it.
    assert played["timer"] == [0.0, 0.0]
    assert played["handler_back"]


def test_a_lost_interrupt_is_raised_again_a_timeout_later():
    # The first Interrupt can be lost (raised in a finalizer, Python only prints it): here
    # the hung code swallows it, and the watchdog must not give up on the table.
    from sim.driver.hooks import Interrupt
    from sim.hooks.watchdog import HandWatchdog

    watchdog = HandWatchdog(seconds=0.2)
    previous = signal.getsignal(signal.SIGALRM)
    caught = []
    watchdog.table_started(0)
    try:
        deadline = time.monotonic() + 10
        while len(caught) < 2 and time.monotonic() < deadline:
            try:
                while time.monotonic() < deadline:
                    pass
            except Interrupt:
                caught.append(time.monotonic())
    finally:
        watchdog.table_ended(0)
    assert len(caught) == 2, caught
    # A timeout later, not in the rollback of the first (the first is seen a little after
    # its alarm, under load: hence less than the whole timeout).
    assert caught[1] - caught[0] >= 0.1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous


class _SlowDispatches(TableHook):
    def dispatched(self, table, ctx):
        time.sleep(0.02)


def test_without_signals_the_watchdog_checks_the_clock_after_each_dispatch():
    """Off the main thread there is no SIGALRM: a slow hand is still caught, a dispatch late."""
    settings = RunSettings(seed=5, hands=20, hands_per_table=20,
                           faults=(parse("hand_timeout=0.05"),), collect_rows=False)
    outcomes = []
    worker = threading.Thread(target=lambda: outcomes.append(
        play_table(draw_table(5, 2), 20, settings, hooks=[_SlowDispatches()])))
    worker.start()
    worker.join(60)
    assert outcomes, "the table did not finish"
    finding = outcomes[0].finding
    assert finding is not None and finding.kind is Kind.LIVENESS, finding
    assert finding.message == "the hand did not end within 0.05 s (hand_timeout)"


def restore_dumped(folder: str) -> str | None:
    """(In the copy carrying restore_misreads_last_actor.) Table 0 of seed 5 with three
    faults, dumping into ``folder``: its dump's path."""
    settings = RunSettings(seed=5, hands=25, hands_per_table=25,
                           planted=("restore_misreads_last_actor",), failures_dir=Path(folder),
                           faults=(parse("crash_restore=1"), parse("slow_tables=0"),
                                   parse("determinism=1000")))
    dump = play_table(draw_table(5, 0), 25, settings).dump
    return str(dump.path) if dump is not None and dump.path is not None else None


def test_a_dump_records_the_faults_and_an_old_dump_reads_as_none(tmp_path):
    path = call_in_copy(["restore_misreads_last_actor"], restore_dumped, str(tmp_path))
    assert path is not None
    data = json.loads(Path(path).read_text())
    assert data["faults"] == ["crash_restore=1", "determinism=1000"]  # the replayed ones
    case = load(Path(path)).case
    assert case.faults == ("crash_restore=1", "determinism=1000")
    assert replay(case).finding.name == "crash_restore"
    # Without the fault the replay has nothing to catch it with: the invariants miss it.
    assert replay(replace(case, faults=())).finding is None
    del data["faults"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    assert load(old).case.faults == ()
