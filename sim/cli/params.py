"""What several commands share: parameter types, the options of a run, settings from them,
and the error for bad input."""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from sim import exits
from sim.limits import MAX_HANDS, MAX_HANDS_PER_TABLE, MAX_SEED
from sim.planted.catalogue import known
from sim.reports.tables import plural

F = TypeVar("F", bound=Callable[..., Any])


class HandsType(click.ParamType):
    """A hand count: ``1000000``, ``1_000_000`` or ``1e6``."""

    name = "hands"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().replace("_", "")
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            self.fail(f"{value!r} is not a number of hands; write e.g. 1000000, 1_000_000 "
                      "or 1e6.", param, ctx)
        if not math.isfinite(number) or number != int(number) or int(number) < 1:
            self.fail(f"{value!r} is not a whole number of hands of at least 1.", param, ctx)
        if int(number) > MAX_HANDS:
            self.fail(f"{value!r} hands is more than the {MAX_HANDS:,} a run may play.",
                      param, ctx)
        return int(number)


class OutputPath(click.ParamType):
    """Where a command writes: a file, or a folder (made with its parents if missing).

    Checked where it enters, before anything runs: a file where a folder goes (or the
    reverse), a parent that is a file, and a place that cannot be written (a read-only
    folder, a missing parent of a file) are refused with a sentence saying what is wrong
    and what is allowed."""

    name = "path"

    def __init__(self, folder: bool) -> None:
        self.folder = folder

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> Path:
        path = value if isinstance(value, Path) else Path(str(value))
        problem = output_problem(path, self.folder)
        if problem:
            self.fail(problem, param, ctx)
        return path


def output_problem(path: Path, folder: bool) -> str:
    """Why ``path`` cannot take the output (a folder when ``folder``, else a file), or ''."""
    what = "a folder (it is made if missing)" if folder else "a file"
    if path.is_dir() and not folder:
        return f"{path} is a folder; give the name of a file to write."
    if path.exists() and not path.is_dir() and folder:
        return f"{path} is a file; give a folder (it is made if it does not exist)."
    if path.exists() and not folder and not os.access(path, os.W_OK):
        return f"{path} is read-only; give a file that can be written."
    home = path if folder else path.parent
    if not folder and not home.is_dir():
        return (f"{home} is not a folder, so {path} cannot be made; give a file in a folder "
                "that exists.")
    nearest = next((p for p in (home, *home.parents) if p.exists()), Path("."))
    if not nearest.is_dir():
        return f"{nearest} is a file, so {path} cannot be made under it; give {what}."
    try:
        with tempfile.TemporaryFile(dir=nearest):
            pass  # a file could be written there (and is gone again)
    except OSError as error:
        return (f"{path} cannot be written: making a file in {nearest} fails "
                f"({error.strerror or error}); give {what} where you can write.")
    return ""


def names(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    return tuple(name.strip() for name in value.split(",") if name.strip())


class BadInput(click.ClickException):
    """A file or value the user gave is not what the command takes: exit 2, one line."""

    exit_code = exits.USAGE


def table_options(command: F) -> F:
    """The options of anything that plays tables (``sim run``, ``sim fuzz``)."""
    options = [
        click.option("--seed", type=click.IntRange(0, MAX_SEED), default=None,
                     help="Run seed; a random one is drawn (and printed) when left out."),
        click.option("--workers", type=click.IntRange(1, 256), default=None,
                     help="Worker processes  [default: the number of cores]"),
        click.option("--out", type=OutputPath(folder=True), default=None,
                     help="Run folder (default: runs/DATE-seedSEED)."),
        click.option("--hands-per-table", type=click.IntRange(1, MAX_HANDS_PER_TABLE), default=200,
                     show_default=True, help="Hands each table plays before a new one is drawn."),
        click.option("--plant-bug", "planted", multiple=True, metavar="NAME",
                     help="Switch on a planted engine bug (see `sim bugs`); repeatable."),
        click.option("--invariants", default=None, metavar="A,B,...",
                     help="Check only these invariants (default: all)."),
        click.option("--oracle", "oracle", default=None, metavar="pokerkit[=RATE]",
                     help="Compare 1 finished hand in RATE (default 100) with PokerKit; needs "
                          "the oracle extra."),
        click.option("--fault", "faults", multiple=True, metavar="NAME=VALUE",
                     help="Inject a fault to test the harness itself (see README, \"Faults "
                          "injected on purpose\"); repeatable."),
        click.option("--hand-timeout", "hand_timeout", type=click.FloatRange(min=0),
                     default=10.0, show_default=True, metavar="SECONDS",
                     help="A hand that does not end within SECONDS stops its table (a "
                          "liveness failure, dumped); a worker stuck for SECONDS + 2 where "
                          "that cannot stop it is killed, and its hand dumped by playing the "
                          "table again. 0 turns both off. With --workers 1 the tables play in "
                          "this process: nothing can kill it, only the first applies."),
        click.option("--backend", type=click.Choice(["pool", "dask"]), default="pool",
                     show_default=True,
                     help="Where tables are played: a local process pool, or a Dask cluster (a "
                          "local one of --workers processes, or the one at --scheduler)."),
        click.option("--scheduler", default=None, metavar="tcp://HOST:8786",
                     help="With --backend dask: submit to the Dask cluster of this scheduler."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def backend_ready(backend: str, scheduler: str | None, workers: int | None) -> int:
    """Check the backend options; returns the number of workers to use."""
    from sim.backends import BackendUnavailable, require

    if scheduler is not None and backend != "dask":
        raise click.UsageError("--scheduler is the address of a Dask cluster; add --backend "
                               "dask, or leave out --scheduler to use the local pool.")
    if scheduler is not None and workers is not None:
        raise click.UsageError(f"--workers {workers} goes with a cluster started here; the "
                               f"cluster at --scheduler {scheduler} has the workers it has.")
    try:
        require(backend)
    except BackendUnavailable as error:
        raise click.UsageError(str(error)) from error
    return workers or os.cpu_count() or 1


def new_settings(hands: int, seed: int | None, out: Path | None, hands_per_table: int,
                  planted: tuple[str, ...], invariants: str | None,
                  only_table: int | None, faults: tuple[str, ...], oracle: str | None = None,
                  hand_timeout: float = 10.0) -> tuple[Any, Path]:
    from sim.hooks.faults import WATCHDOG, parse
    from sim.invariants.base import select
    from sim.runner.settings import RunSettings, with_hand_timeout

    try:
        planted = known(planted)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--plant-bug") from error
    selected = names(invariants)
    if invariants is not None and not selected:
        raise click.BadParameter(f"{invariants!r} names no invariant; give one or more names "
                                 "separated by commas, or leave --invariants out to check all.",
                                 param_hint="--invariants")
    try:
        select(selected)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--invariants") from error
    if seed is None:
        seed = int.from_bytes(os.urandom(8), "big") >> 1
    out = out or Path("runs") / f"{dt.datetime.now():%Y%m%d-%H%M%S}-seed{seed}"
    if (out / "stats.duckdb").exists():
        raise click.BadParameter(f"{out} already holds a run; choose another --out, or finish "
                                 f"it with --resume {out}.", param_hint="--out")
    tables = -(-hands // hands_per_table)
    if only_table is not None and only_table >= tables:
        raise click.BadParameter(f"table {only_table} is not in this run; {hands} hands at "
                                 f"{hands_per_table} a table make tables 0 to {tables - 1}.",
                                 param_hint="--table")
    try:
        injected = tuple(parse(spec) for spec in faults)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--fault") from error
    if any(fault.name == WATCHDOG for fault in injected):
        raise click.BadParameter(f"the hand watchdog is not a --fault: write --hand-timeout "
                                 f"SECONDS (default 10; 0 turns it off) instead of "
                                 f"{WATCHDOG}=SECONDS.", param_hint="--fault")
    settings = RunSettings(seed=seed, hands=hands, hands_per_table=hands_per_table,
                           invariants=selected, planted=planted,
                           failures_dir=out / "failures", only_table=only_table,
                           faults=injected, oracle=oracle_rate(oracle))
    return with_hand_timeout(settings, hand_timeout), out


def oracle_rate(spec: str | None) -> int:
    """``pokerkit`` or ``pokerkit=RATE`` -> RATE (default 100); None -> 0 (off)."""
    if spec is None:
        return 0
    name, _, rate = spec.partition("=")
    if name != "pokerkit" or (rate and not (rate.isdigit() and int(rate) >= 1)):
        raise click.BadParameter(f"{spec!r} is not an oracle; write pokerkit or pokerkit=RATE "
                                 "with RATE a whole number of at least 1 (1: every hand).",
                                 param_hint="--oracle")
    from sim.outside.pokerkit_oracle import OracleUnavailable, require_pokerkit

    try:
        require_pokerkit()
    except OracleUnavailable as error:
        raise click.UsageError(str(error)) from error
    return int(rate) if rate else 100


def resumed_settings(folder: Path) -> tuple[Any, Path]:
    from sim.runner.settings import RunSettings

    row = stored_run(folder)
    if str(row["command"]).startswith("sim fuzz"):
        # A fuzz plays steered table ids from its wider swarm, not a run's table plan.
        raise click.BadParameter(f"{folder} holds a fuzz, which --resume cannot finish; play "
                                 f"its tables again with: {row['command']}",
                                 param_hint="--resume")
    from sim.experiment import from_json
    from sim.hooks.watchdog import DEFAULT_S
    from sim.runner.settings import with_hand_timeout

    try:
        experiment = from_json(row["config"]) if row.get("config") else None
    except ValueError as error:  # ExperimentError, or stored text that is not JSON
        raise BadInput(f"{folder}: the stored experiment (runs.config) cannot be played: "
                       f"{error}") from error
    settings = RunSettings(
        seed=row["seed"], hands=row["hands_requested"], hands_per_table=row["hands_per_table"],
        experiment=experiment,
        invariants=tuple(row["invariants"]) if row["invariants"] is not None else None,
        planted=known(row["planted_bugs"] or ()), failures_dir=folder / "failures",
        only_table=row["only_table"])
    # A run stored before the hand timeout was (no such column): the default, as every run.
    timeout = row.get("hand_timeout_s")
    return with_hand_timeout(settings, DEFAULT_S if timeout is None else timeout), folder


def stored_run(folder: Path) -> dict[str, Any]:
    """The ``runs`` row of the run in ``folder`` (with its failures' kinds and the tables
    stored), read through
    the locked connection, so reading changes nothing; bad input (no run, a damaged
    file, several runs) is a one-line error."""
    import duckdb

    from sim.store.dataset import NoRuns, open_dataset

    if not (folder / "stats.duckdb").is_file():
        raise click.BadParameter(f"{folder} holds no stats.duckdb; --resume takes the folder "
                                 "of a run started with `sim run --out`.", param_hint="--resume")
    try:
        con = open_dataset([folder])
    except NoRuns as error:
        raise BadInput(str(error)) from error
    try:
        cursor = con.execute("SELECT * FROM runs")
        rows = cursor.fetchall()
        names = [d[0] for d in cursor.description]
        kinds = [kind for kind, in con.execute("SELECT kind FROM failures").fetchall()]
        tables = {table_id for table_id, in con.execute("SELECT table_id FROM tables")
                  .fetchall()}
    except duckdb.Error as error:
        raise BadInput(f"{folder}: the stored run cannot be read ({error}); its "
                       "stats.duckdb may be damaged.") from error
    finally:
        con.close()
    if len(rows) != 1:
        raise BadInput(f"{folder / 'stats.duckdb'} holds {plural(len(rows), 'run')}; --resume "
                       "finishes the one run of a run folder.")
    return {**dict(zip(names, rows[0], strict=True)), "failure_kinds": kinds,
            "stored_tables": tables}


def completed(folder: Path, settings: Any) -> tuple[str, int] | None:
    """For ``--resume`` of a run that is complete (marked so, and every table of its plan
    stored): what to say and the run's exit code; nothing is played and nothing changes.
    None when there is something to finish."""
    from sim.finding import Kind, exit_code
    from sim.runner.settings import table_plan

    row = stored_run(folder)
    if row["status"] != "completed" or any(
            table_id not in row["stored_tables"] for table_id, _ in table_plan(settings)):
        return None
    known = {kind.value: kind for kind in Kind}
    kinds = [known[kind] for kind in row["failure_kinds"] if kind in known]
    return (f"run {row['run_id']} in {folder} is complete: {plural(row['hands'] or 0, 'hand')} "
            f"on {plural(row['tables'] or 0, 'table')}, {plural(row['failures'] or 0, 'failure')}"
            f"; nothing to resume, nothing changed. Its report: sim report {folder}",
            exit_code(kinds))


def experiment_of(config: Path | None, plugin_bots: tuple[str, ...]) -> Any:
    """The experiment of --config and --bot (None: swarm testing)."""
    from sim import experiment as ex

    try:
        if config is None:
            return ex.default(plugin_bots) if plugin_bots else None
        loaded = ex.from_json(config.read_text()) if config.suffix == ".json" \
            else ex.load(config)
        return loaded.with_bots(plugin_bots) if plugin_bots else loaded
    except ValueError as error:  # ExperimentError, and a stored experiment that is not JSON
        hint = "--config" if config is not None else "--bot"
        raise click.BadParameter(str(error), param_hint=hint) from error


def from_experiment(ctx: click.Context, experiment: Any, hands: int, seed: int | None,
                     hands_per_table: int) -> tuple[int, int | None, int]:
    """hands, seed and hands per table: the command line's, else the experiment's."""
    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT

    return (hands if given("hands") or experiment.hands is None else experiment.hands,
            seed if given("seed") or experiment.seed is None else experiment.seed,
            hands_per_table if given("hands_per_table") or experiment.hands_per_table is None
            else experiment.hands_per_table)


def with_experiment(settings: Any, experiment: Any, out: Path) -> Any:
    """``settings`` playing ``experiment``; the run folder keeps a copy of it."""
    from dataclasses import replace

    from sim.runner.settings import EXPERIMENT_FILE

    out.mkdir(parents=True, exist_ok=True)
    (out / EXPERIMENT_FILE).write_text(experiment.to_json() + "\n")
    return replace(settings, experiment=experiment)


def in_planted_copy(planted: tuple[str, ...], scheduler: str | None = None) -> None:
    """Run this command again, whole, in the copy of the package that carries the planted
    bugs ``planted`` (``sim.planted``), and exit with its code; return when the running
    code carries exactly them already. A cluster's workers run their own installed sim,
    not this machine's copy: planted bugs and ``--scheduler`` do not go together."""
    from sim.planted.child import run_command
    from sim.planted.copy import carried

    if tuple(sorted(planted)) == carried():
        return
    if scheduler is not None:
        raise click.UsageError(f"planted bugs run from a patched copy of sim on this machine, "
                               f"but the workers of the Dask cluster at {scheduler} run their "
                               "own sim; use --backend pool, or --backend dask without "
                               "--scheduler (a cluster started here).")
    sys.exit(run_command(planted, click.get_current_context().meta["argv"]))
