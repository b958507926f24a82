"""What several commands share: parameter types, the options of a run, settings from them,
and the error for bad input."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from sim.engine import bugs
from sim.finding import EXIT_USAGE

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
        if int(number) > 10**10:
            self.fail(f"{value!r} hands is more than the 10,000,000,000 a run may play.",
                      param, ctx)
        return int(number)


def names(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    return tuple(name.strip() for name in value.split(",") if name.strip())


class BadInput(click.ClickException):
    """A file or value the user gave is not what the command takes: exit 2, one line."""

    exit_code = EXIT_USAGE


def table_options(command: F) -> F:
    """The options of anything that plays tables (``sim run``, ``sim fuzz``)."""
    options = [
        click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
                     help="Run seed; a random one is drawn (and printed) when left out."),
        click.option("--workers", type=click.IntRange(1, 256), default=None,
                     help="Worker processes  [default: the number of cores]"),
        click.option("--out", type=click.Path(path_type=Path), default=None,
                     help="Run folder (default: runs/DATE-seedSEED)."),
        click.option("--hands-per-table", type=click.IntRange(1, 100_000), default=200,
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

    unknown = [name for name in planted if name not in bugs.BUGS]
    if unknown:
        raise click.BadParameter(f"unknown bug {', '.join(unknown)}; known bugs are "
                                 f"{', '.join(bugs.BUGS)} (see `sim bugs`).",
                                 param_hint="--plant-bug")
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
                           invariants=selected, planted=tuple(planted),
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
    from sim.store.writer import Store

    path = folder / "stats.duckdb"
    if not path.exists():
        raise click.BadParameter(f"{folder} holds no stats.duckdb; --resume takes the folder "
                                 "of a run started with `sim run --out`.", param_hint="--resume")
    with Store(path) as store:
        row = store.run_row()
    if row is None:
        raise click.BadParameter(f"{path} holds no run.", param_hint="--resume")
    if str(row["command"]).startswith("sim fuzz"):
        # A fuzz plays steered table ids from its wider swarm, not a run's table plan.
        raise click.BadParameter(f"{folder} holds a fuzz, which --resume cannot finish; play "
                                 f"its tables again with: {row['command']}",
                                 param_hint="--resume")
    from sim.experiment import from_json
    from sim.hooks.watchdog import DEFAULT_S
    from sim.runner.settings import with_hand_timeout

    settings = RunSettings(
        seed=row["seed"], hands=row["hands_requested"], hands_per_table=row["hands_per_table"],
        experiment=from_json(row["config"]) if row.get("config") else None,
        invariants=tuple(row["invariants"]) if row["invariants"] is not None else None,
        planted=tuple(row["planted_bugs"] or ()), failures_dir=folder / "failures",
        only_table=row["only_table"])
    # A run stored before the hand timeout was (no such column): the default, as every run.
    timeout = row.get("hand_timeout_s")
    return with_hand_timeout(settings, DEFAULT_S if timeout is None else timeout), folder


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
