"""Experiments: a TOML file that fixes the tables and the bot line-up of a run.

    >>> experiment = load(Path("examples/experiment.toml"))
    >>> spec = experiment.draw(run_seed=42, table_id=3)      # a sim.bots.TableSpec
    >>> spec.config
    TableConfig(seats=6, small_blind=1, big_blind=2, ante=0, min_buy_in=100, max_buy_in=300)
    >>> sorted(kind for _, kind, _, _ in spec.bots)
    ['calling_station', 'calling_station', 'nit', 'nit', 'pot_odds', 'pot_odds']

A run without one draws its tables by swarm testing (``sim.bots.swarm``). With one, each
table draws from ``random.Random(derive_seed(run_seed, "table", table_id))``, the same
seed the swarm uses, so one table replays on its own whatever the worker or order:

- its seat count from ``seats`` (one number, or a list to draw from);
- which of the line-up's bots sit (all of them when the line-up has no more bots than
  seats, else a sample), and in which seats (shuffled);
- each opening stack, a whole number of big blinds in ``stack_bb`` (a number or
  ``[low, high]``); rebuys go up to the top of that range.

The file, its keys and what each allows are in README.md ("Experiments"). Every error is
one sentence that names the key and what is allowed. The experiment is stored with the run
(``runs.config``, as JSON), so ``sim run --resume`` draws the same tables.
"""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from sim.bots.base import Bot
from sim.bots.plugin import is_plugin, load_bot_class
from sim.bots.swarm import BOT_KINDS, TableSpec, bot_name
from sim.engine.config import TableConfig
from sim.engine.seeds import derive_seed
from sim.limits import MAX_CHIPS, MAX_HANDS, MAX_HANDS_PER_TABLE, MAX_SEED

TOP_KEYS: Final = ("hands", "seed", "hands_per_table", "table", "bots")
TABLE_KEYS: Final = ("seats", "small_blind", "big_blind", "ante", "stack_bb")
BOT_KEYS: Final = ("bot", "count", "name", "params")
# What `--bot` plays against without a config: one of each, in this order, up to 6 seats.
DEFAULT_OPPONENTS: Final = ("calling_station", "nit", "maniac", "random", "limper")
DEFAULT_SEATS: Final = 6
MAX_SEATS_OF_A_BOT: Final = 1000  # a bot's count; tables sample the line-up's seats


class ExperimentError(ValueError):
    """A config that cannot be run: the message names the key and what is allowed."""


@dataclass(frozen=True, slots=True)
class BotEntry:
    """``count`` seats of one bot: ``kind`` is what the store calls it (``bot`` column)."""

    kind: str
    target: str  # a built-in kind, or package.module:Class
    count: int
    params: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Experiment:
    seats: tuple[int, ...]
    small_blind: int
    big_blind: int
    ante: int
    stack_bb: tuple[int, int]
    bots: tuple[BotEntry, ...]
    hands: int | None = None
    seed: int | None = None
    hands_per_table: int | None = None

    def draw(self, run_seed: int, table_id: int) -> TableSpec:
        """Table ``table_id`` of the run seeded ``run_seed``: the same pair, the same table."""
        seed = derive_seed(run_seed, "table", table_id)
        rng = random.Random(seed)
        seats = rng.choice(self.seats)
        pool = [entry.kind for entry in self.bots for _ in range(entry.count)]
        sitting = rng.sample(pool, seats) if len(pool) > seats else list(pool)
        rng.shuffle(sitting)
        low, high = self.stack_bb
        big = self.big_blind
        config = TableConfig(seats=seats, small_blind=self.small_blind, big_blind=big,
                             ante=self.ante, min_buy_in=low * big, max_buy_in=high * big)
        opening = tuple((seat, kind, bot_name(kind, seat), rng.randint(low, high) * big)
                        for seat, kind in enumerate(sitting))
        lineup = tuple((e.kind, e.target, e.params) for e in self.bots)
        return TableSpec(table_id, seed, config, opening, lineup)

    def to_dict(self) -> dict[str, Any]:
        """The experiment as the config it could have come from (stored with the run)."""
        data: dict[str, Any] = {key: getattr(self, key) for key in ("hands", "seed",
                                                                     "hands_per_table")
                                if getattr(self, key) is not None}
        data["table"] = {"seats": list(self.seats), "small_blind": self.small_blind,
                         "big_blind": self.big_blind, "ante": self.ante,
                         "stack_bb": list(self.stack_bb)}
        data["bots"] = [{"bot": e.target, "count": e.count, "name": e.kind,
                         **({"params": dict(e.params)} if e.params else {})}
                        for e in self.bots]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    def with_bots(self, targets: tuple[str, ...]) -> Experiment:
        """This experiment with one more seat for each of ``targets`` (``--bot``)."""
        added = tuple(_entry({"bot": target}, f"--bot {target}") for target in targets)
        return _checked(replace(self, bots=merge(self.bots + added)))


def load(path: Path) -> Experiment:
    """Read and check an experiment file."""
    try:
        data = tomllib.loads(Path(path).read_text())
    except OSError as error:
        raise ExperimentError(f"cannot read {path}: {error.strerror}.") from error
    except tomllib.TOMLDecodeError as error:
        raise ExperimentError(f"{path} is not valid TOML: {error}.") from error
    return from_dict(data)


def from_json(text: str) -> Experiment:
    return from_dict(json.loads(text))


def default(targets: tuple[str, ...]) -> Experiment:
    """What ``sim run --bot X`` plays without a config: 6 seats, blinds 1/2, 100 big
    blinds, the given bots and built-in opponents to fill the seats."""
    fill = max(0, DEFAULT_SEATS - len(targets))
    opponents = [{"bot": kind} for kind in DEFAULT_OPPONENTS[:fill]] or [{"bot": "random"}]
    return from_dict({"table": {"seats": DEFAULT_SEATS, "small_blind": 1, "big_blind": 2,
                                "stack_bb": 100},
                      "bots": [{"bot": target} for target in targets] + opponents})


def from_dict(data: Mapping[str, Any]) -> Experiment:
    _known(data, TOP_KEYS, "the experiment")
    table = data.get("table", {})
    if not isinstance(table, Mapping):
        raise ExperimentError("table must be a table of settings ([table]) with keys "
                              f"{', '.join(TABLE_KEYS)}.")
    _known(table, TABLE_KEYS, "[table]")
    bots = data.get("bots")
    if not isinstance(bots, list) or not bots:
        raise ExperimentError("bots must list the line-up, one [[bots]] entry per bot, e.g. "
                              "[[bots]] bot = \"nit\" count = 2.")
    entries = merge(tuple(_entry(entry, f"bots[{i}]") for i, entry in enumerate(bots)))
    seats = table.get("seats", DEFAULT_SEATS)
    seat_choices = tuple(seats) if isinstance(seats, list) else (seats,)
    if not seat_choices or not all(_whole(s) and 2 <= s <= 10 for s in seat_choices):
        raise ExperimentError(f"table.seats = {seats!r}: give a number of seats from 2 to "
                              "10, or a list of them to draw from.")
    small = _number(table, "small_blind", 1, "[table]", minimum=1, maximum=MAX_CHIPS)
    big = _number(table, "big_blind", 2, "[table]", minimum=1, maximum=MAX_CHIPS)
    if small > big:
        raise ExperimentError(f"table.small_blind = {small} is above table.big_blind = {big}; "
                              "the small blind is at most the big blind.")
    stack_bb = _stack_range(table.get("stack_bb", 100))
    if stack_bb[1] * big > MAX_CHIPS:
        raise ExperimentError(f"table.stack_bb = {table.get('stack_bb', 100)!r} at big_blind "
                              f"{big} makes buy-ins of up to {stack_bb[1] * big:,} chips, above "
                              f"the {MAX_CHIPS:,} a buy-in may be; lower one of them.")
    experiment = Experiment(
        seats=seat_choices, small_blind=small, big_blind=big,
        ante=_number(table, "ante", 0, "[table]", minimum=0, maximum=MAX_CHIPS),
        stack_bb=stack_bb, bots=entries,
        hands=_optional(data, "hands", 1, MAX_HANDS), seed=_optional(data, "seed", 0, MAX_SEED),
        hands_per_table=_optional(data, "hands_per_table", 1, MAX_HANDS_PER_TABLE))
    return _checked(experiment)


def merge(entries: tuple[BotEntry, ...]) -> tuple[BotEntry, ...]:
    """Entries of the same kind and class become one with their counts added."""
    merged: dict[str, BotEntry] = {}
    for entry in entries:
        known = merged.get(entry.kind)
        if known is None:
            merged[entry.kind] = entry
        elif (known.target, known.params) != (entry.target, entry.params):
            raise ExperimentError(f"two bots are named {entry.kind!r} ({known.target} and "
                                  f"{entry.target}); give each a different name = \"...\".")
        else:
            merged[entry.kind] = replace(known, count=known.count + entry.count)
    return tuple(merged.values())


def _checked(experiment: Experiment) -> Experiment:
    if sum(e.count for e in experiment.bots) < 2:
        raise ExperimentError("bots: the line-up seats 1 bot; a table needs at least 2 "
                              "(raise a count, or add a [[bots]] entry).")
    for entry in experiment.bots:  # build one of each now: a bad class or parameter fails here
        _build(entry)
    return experiment


def _entry(entry: Any, where: str) -> BotEntry:
    if not isinstance(entry, Mapping):
        raise ExperimentError(f"{where} must be a table with keys {', '.join(BOT_KEYS)}.")
    _known(entry, BOT_KEYS, where)
    target = entry.get("bot")
    if not isinstance(target, str) or not target:
        raise ExperimentError(f"{where}.bot must name a built-in bot ({', '.join(BOT_KINDS)}) "
                              "or a plug-in as package.module:Class.")
    if not is_plugin(target) and target not in BOT_KINDS:
        raise ExperimentError(f"{where}.bot = {target!r} is not a built-in bot ("
                              f"{', '.join(BOT_KINDS)}) nor a plug-in package.module:Class.")
    params = entry.get("params", {})
    if not isinstance(params, Mapping):
        raise ExperimentError(f"{where}.params must be a table of keyword arguments, e.g. "
                              "params = { margin = 0.1 }.")
    if params and not is_plugin(target):
        raise ExperimentError(f"{where}.params: the built-in bot {target!r} takes no "
                              "parameters; params are for plug-in bots.")
    name = entry.get("name", _default_name(target))
    if not isinstance(name, str) or not name or "," in name:
        raise ExperimentError(f"{where}.name = {name!r}: give a non-empty name without commas "
                              "(it is the bot's name in the store).")
    count = _number(entry, "count", 1, where, minimum=1, maximum=MAX_SEATS_OF_A_BOT)
    return BotEntry(name, target, count, tuple(sorted(params.items())))


def _default_name(target: str) -> str:
    if not is_plugin(target):
        return target
    try:
        cls = load_bot_class(target)
    except ValueError as error:
        raise ExperimentError(str(error)) from error
    kind = getattr(cls, "kind", "base")
    return kind if kind != "base" else target.partition(":")[2]


def _build(entry: BotEntry) -> Bot:
    try:
        cls = load_bot_class(entry.target) if is_plugin(entry.target) else BOT_KINDS[entry.target]
        return cls(bot_name(entry.kind, 0), **dict(entry.params))
    except ValueError as error:
        raise ExperimentError(str(error)) from error
    except TypeError as error:
        raise ExperimentError(f"bot {entry.target!r} with params {dict(entry.params)!r} "
                              f"cannot be built: {error}.") from error
    except (Exception, SystemExit) as error:  # noqa: BLE001 - a plug-in's crash, sys.exit too
        raise ExperimentError(f"bot {entry.target!r} raised {error!r} when it was built; a "
                              "plug-in bot must build with the params given.") from error


def _known(data: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise ExperimentError(f"{where} has unknown key {unknown[0]!r}; the keys allowed "
                              f"there are {', '.join(allowed)}.")


def _whole(value: Any) -> bool:
    return type(value) is int


def _number(data: Mapping[str, Any], key: str, fallback: int, where: str, minimum: int,
            maximum: int) -> int:
    value = data.get(key, fallback)
    if not _whole(value) or not minimum <= value <= maximum:
        raise ExperimentError(f"{where} {key} = {value!r}: give a whole number from "
                              f"{minimum:,} to {maximum:,}.")
    return int(value)


def _optional(data: Mapping[str, Any], key: str, minimum: int, maximum: int) -> int | None:
    return _number(data, key, 0, "the experiment's", minimum, maximum) if key in data else None


def _stack_range(value: Any) -> tuple[int, int]:
    pair = value if isinstance(value, list) else [value, value]
    if len(pair) != 2 or not all(_whole(v) and 1 <= v <= MAX_CHIPS for v in pair) \
            or pair[0] > pair[1]:
        raise ExperimentError(f"table.stack_bb = {value!r}: give a whole number of big blinds "
                              "(at least 1), or [low, high] with low <= high.")
    return int(pair[0]), int(pair[1])
