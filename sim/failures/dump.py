"""Failure dumps: everything needed to reproduce a finding with one command.

A ``Case`` is a hand to replay: the seeds and table settings, the hand's log from its
snapshot, every action from that snapshot on, the planted bugs and invariant selection
that were on. A ``Dump`` is a case with the ``Finding`` that stopped the table and
``describe()`` of the state: one JSON file under the run's ``failures/`` folder.
``sim replay FILE`` reproduces it; copying the file into ``tests/regressions/`` makes it
a test.

    dump = load(Path("runs/x/failures/table000003-hand00012-pot_consistency.json"))
    dump.finding.name, dump.case.record.hand_no, dump.case.script()

A dump is input like any other: ``load`` checks every field it reads (types, ranges, the
table snapshot's every field) and refuses a damaged one with a ValueError that names the
field, before anything is replayed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sim.driver.script import Resumed, Script
from sim.engine import ENGINE_VERSION, IllegalAction, TableConfig
from sim.engine import actions as ac
from sim.engine.log import HandRecord, UnknownFormat, upcast
from sim.finding import Finding, Kind
from sim.hooks.faults import parse as parse_fault
from sim.invariants.base import select
from sim.invariants.pipeline import CheckedTable
from sim.planted.catalogue import known
from sim.planted.copy import carried

FORMAT: Final = "sim.failure"
VERSION: Final = 3
# Stored dumps are never edited: an older version is upcast when read (``UPCASTERS``).


@dataclass(frozen=True, slots=True)
class Case:
    """A hand to replay through the checked pipeline, and where it came from.

    ``actions`` are every action dispatched from ``record``'s snapshot on. A dump's case
    goes on past the end of its hand (the failing dispatch may have dealt the next one);
    a stored hand stops at its end (``stop_at_hand_end``).
    """

    run_seed: int
    table_id: int
    table_seed: int
    config: dict[str, int]
    planted: tuple[str, ...]
    invariants: tuple[str, ...] | None  # the selection the run used (None: all)
    record: HandRecord | None  # None: the table failed before its first hand
    actions: list[ac.Action] = field(default_factory=list)
    bots: dict[int, str] = field(default_factory=dict)  # seat -> bot kind at the time
    stop_at_hand_end: bool = False
    # The faults that checked the hand's play (``sim.hooks.faults``, e.g.
    # "crash_restore=0.01"): a replay runs them again.
    faults: tuple[str, ...] = ()

    @property
    def hand_no(self) -> int:
        return self.record.hand_no if self.record is not None else 0

    def script(self) -> Script:
        """What the driver plays: the hand from its snapshot, then every logged action."""
        if self.record is None:
            raise ValueError("This dump holds no hand log (the table failed before its "
                             "first hand), so there is nothing to replay.")
        return Script(Resumed(self.record, self.stop_at_hand_end), self.actions)

    def to_dict(self) -> dict[str, Any]:
        """The case's fields of a dump document (``Dump.to_dict`` adds the finding)."""
        return {
            "seeds": {"run": self.run_seed, "table": self.table_seed, "table_id": self.table_id,
                      "hand_no": self.hand_no},
            "config": self.config,
            "planted_bugs": list(self.planted),
            "invariants": list(self.invariants) if self.invariants is not None else None,
            "bots": {str(seat): kind for seat, kind in self.bots.items()},
            "hand": self.record.to_dict() if self.record is not None else None,
            "actions": [ac.action_to_dict(a) for a in self.actions],
            "faults": list(self.faults),
            "stop_at_hand_end": self.stop_at_hand_end,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        """The case of a (current version) dump document; ValueError naming a damaged
        field."""
        seeds = _object(data, "seeds")
        config = _object(data, "config")
        try:
            TableConfig(**config)
        except (TypeError, IllegalAction) as error:
            raise ValueError(f"its config is not a table's settings: {error}") from None
        planted = _strings(data, "planted_bugs")
        known(planted)  # unknown names: a ValueError naming them
        invariants = None if data.get("invariants") is None else _strings(data, "invariants")
        if invariants is not None:
            select(invariants)  # unknown names: a ValueError naming them
        faults = _strings(data, "faults") if "faults" in data else []  # older dumps have none
        for spec in faults:
            parse_fault(spec)
        hand = data["hand"]
        if hand is not None and type(hand) is not dict:
            raise ValueError(f"its hand is {type(hand).__name__}, not an object or null")
        record = HandRecord.from_dict(hand) if hand else None
        actions = data["actions"]
        if type(actions) is not list:
            raise ValueError(f"its actions are {type(actions).__name__}, not a list")
        bots = _object(data, "bots") if "bots" in data else {}
        stop = data.get("stop_at_hand_end", False)  # dumps before version 3 have none
        if type(stop) is not bool:
            raise ValueError(f"its stop_at_hand_end is {stop!r:.40}, not true or false")
        return cls(_whole(seeds, "run"), _whole(seeds, "table_id"), _whole(seeds, "table"),
                   config, tuple(planted), tuple(invariants) if invariants is not None else None,
                   record, [ac.action_from_dict(a) for a in actions],
                   {_seat_key(seat): str(kind) for seat, kind in bots.items()},
                   stop_at_hand_end=stop, faults=tuple(faults))


@dataclass(slots=True)
class Dump:
    """A case and the finding it reproduces, as written to (and read from) a JSON file."""

    case: Case
    finding: Finding
    describe: str
    path: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "engine_version": ENGINE_VERSION,
                **self.case.to_dict(), "finding": self.finding.to_dict(),
                "describe": self.describe}

    @classmethod
    def from_dict(cls, data: Any) -> Dump:
        """The dump ``data`` holds; ValueError saying what is wrong when it is not one, or
        is damaged (naming the field)."""
        try:
            return cls._read(upcast(data, FORMAT, VERSION, UPCASTERS, "failure dump"))
        except KeyError as error:
            raise ValueError(f"a damaged failure dump: it has no {error.args[0]!r} "
                             "field") from None
        except (TypeError, AttributeError, IndexError, AssertionError, IllegalAction) as error:
            raise ValueError(f"a damaged failure dump: {error}") from None
        except UnknownFormat:
            raise
        except ValueError as error:
            raise ValueError(f"a damaged failure dump: {error}") from None

    @classmethod
    def _read(cls, data: dict[str, Any]) -> Dump:
        case = Case.from_dict(data)
        describe = data["describe"]
        if type(describe) is not str:
            raise ValueError(f"its describe is {type(describe).__name__}, not text")
        return cls(case, _finding(_object(data, "finding")), describe)

    def file_name(self) -> str:
        return (f"table{self.case.table_id:06d}-hand{self.case.hand_no:05d}-"
                f"{self.finding.name}.json")

    def write(self, folder: Path, name: str | None = None) -> Path:
        """Write the dump into ``folder`` as ``name`` (default: ``file_name()``)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (name or self.file_name())
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=1))
        tmp.replace(path)  # never leave a half-written dump behind
        self.path = path
        return path


def _object(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data[name]
    if type(value) is not dict:
        raise ValueError(f"its {name} is {type(value).__name__}, not an object")
    return value


def _strings(data: dict[str, Any], name: str) -> list[str]:
    value = data[name]
    if type(value) is not list or not all(type(item) is str for item in value):
        raise ValueError(f"its {name} must be a list of names, not {value!r:.80}")
    return value


def _whole(data: dict[str, Any], name: str) -> int:
    value = data[name]
    if type(value) is not int or value < 0:
        raise ValueError(f"its {name} is {value!r:.80}, not a whole number of at least 0")
    return value


def _seat_key(seat: Any) -> int:
    if type(seat) is not str or not seat.isdigit() or int(seat) > 9:
        raise ValueError(f"its bots name seat {seat!r:.40}, not a seat number 0 to 9")
    return int(seat)


def _finding(data: dict[str, Any]) -> Finding:
    kinds = [kind.value for kind in Kind]
    if data.get("kind") not in kinds:
        raise ValueError(f"its finding's kind is {data.get('kind')!r:.40}; kinds are "
                         f"{', '.join(kinds)}")
    for name in ("name", "message"):
        if type(data.get(name)) is not str:
            raise ValueError(f"its finding's {name} is {data.get(name)!r:.40}, not text")
    for name in ("table_id", "hand_no", "dispatch"):
        value = data.get(name)
        if value is not None and (type(value) is not int or value < 0):
            raise ValueError(f"its finding's {name} is {value!r:.40}, not a whole number "
                             "or null")
    for name in ("trace", "shape"):
        if type(data.get(name, "")) is not str:
            raise ValueError(f"its finding's {name} is not text")
    return Finding.from_dict(data)


# Version 1 kept the finding as top-level "invariant", "message" and "traceback" strings.
_V1_KINDS: Final = {"liveness": Kind.LIVENESS, "engine_exception": Kind.ENGINE_EXCEPTION,
                    "legal_action_rejected": Kind.LEGAL_ACTION_REFUSED,
                    "invariant_crashed": Kind.CHECK_EXCEPTION}


def _upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
    name = data["invariant"]
    seeds = data["seeds"]
    finding = Finding(_V1_KINDS.get(name, Kind.INVARIANT), name, data["message"],
                      seeds["table_id"], seeds["hand_no"] if data.get("hand") else None,
                      len(data["actions"]), data["traceback"])
    new = {k: v for k, v in data.items() if k not in ("invariant", "message", "traceback")}
    return {**new, "version": 2, "finding": finding.to_dict()}


def _upcast_v2_v3(data: dict[str, Any]) -> dict[str, Any]:
    # Version 3 keeps the finding's template (its shape); a version-2 finding has none.
    return {**data, "version": 3}


UPCASTERS: Final[dict[int, Any]] = {1: _upcast_v1_v2, 2: _upcast_v2_v3}


def load(path: Path) -> Dump:
    """Read a dump; a file that is not one, or a damaged one, raises ValueError saying
    what is wrong."""
    try:
        data = json.loads(Path(path).read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not JSON ({error}); expected a failure dump written by "
                         "`sim run`.") from None
    except RecursionError:
        raise ValueError(f"{path} nests its JSON too deeply to be a failure dump.") from None
    try:
        dump = Dump.from_dict(data)
    except RecursionError:
        raise ValueError(f"{path} nests its JSON too deeply to be a failure dump.") from None
    except ValueError as error:
        raise ValueError(f"{path}: {error}.") from None
    dump.path = Path(path)
    return dump


def assemble(table: CheckedTable, finding: Finding, run_seed: int, table_id: int,
             table_seed: int, invariants: tuple[str, ...] | None,
             bots: dict[int, str], faults: tuple[str, ...] = ()) -> Dump:
    """The dump of ``finding`` on ``table``: the hand running when the failing dispatch
    began, every action since its snapshot, and ``describe()`` of the table now."""
    state = table.state
    record, actions = table.base, table.tail
    if record is None or table.log.current is None:  # failed before the first hand
        record, actions = table.log.current, []
    describe = state.describe()
    if record is not None and record.final is not None and record is not table.log.current:
        # The failing dispatch ended the hand (and dealt the next): show its end too.
        describe += (f"\n\nhand {record.hand_no} as it ended in the failing dispatch:\n"
                     + record.final.describe())
    case = Case(run_seed, table_id, table_seed, state.config.to_dict(), carried(),
                invariants, record, list(actions), dict(bots), faults=faults)
    return Dump(case, finding, describe)
