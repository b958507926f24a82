"""Failure dumps: everything needed to reproduce a finding with one command.

A ``Case`` is a hand to replay: the seeds and table settings, the hand's log from its
snapshot, every action from that snapshot on, the planted bugs and invariant selection
that were on. A ``Dump`` is a case with the ``Finding`` that stopped the table and
``describe()`` of the state: one JSON file under the run's ``failures/`` folder.
``sim replay FILE`` reproduces it; copying the file into ``tests/regressions/`` makes it
a test.

    >>> dump = load(Path("runs/x/failures/table000003-hand00012-pot_consistency.json"))
    >>> dump.finding.name, dump.case.record.hand_no
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sim.engine import ENGINE_VERSION, bugs
from sim.engine import actions as ac
from sim.engine.log import HandRecord
from sim.finding import Finding, Kind
from sim.invariants.pipeline import CheckedTable

FORMAT: Final = "sim.failure"
VERSION: Final = 2
# Upcasters: UPCASTERS[v] turns a version-v document into a version-(v + 1) one. Stored
# dumps are never edited.


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


@dataclass(slots=True)
class Dump:
    """A case and the finding it reproduces, as written to (and read from) a JSON file."""

    case: Case
    finding: Finding
    describe: str
    path: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        case = self.case
        return {
            "format": FORMAT,
            "version": VERSION,
            "engine_version": ENGINE_VERSION,
            "seeds": {"run": case.run_seed, "table": case.table_seed, "table_id": case.table_id,
                      "hand_no": case.hand_no},
            "config": case.config,
            "planted_bugs": list(case.planted),
            "invariants": list(case.invariants) if case.invariants is not None else None,
            "finding": self.finding.to_dict(),
            "describe": self.describe,
            "bots": {str(seat): kind for seat, kind in case.bots.items()},
            "hand": case.record.to_dict() if case.record is not None else None,
            "actions": [ac.action_to_dict(a) for a in case.actions],
            "faults": list(case.faults),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Dump:
        data = upcast(data)
        seeds = data["seeds"]
        record = HandRecord.from_dict(data["hand"]) if data.get("hand") else None
        case = Case(seeds["run"], seeds["table_id"], seeds["table"], data["config"],
                    tuple(data["planted_bugs"]),
                    tuple(data["invariants"]) if data.get("invariants") is not None else None,
                    record, [ac.action_from_dict(a) for a in data["actions"]],
                    {int(seat): kind for seat, kind in data.get("bots", {}).items()},
                    faults=tuple(data.get("faults", ())))  # older dumps have none
        return cls(case, Finding.from_dict(data["finding"]), data["describe"])

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


def upcast(data: Any) -> dict[str, Any]:
    """Bring a dump document up to the current VERSION (without editing the input)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"Not a failure dump: found {found!r}, expected an object with "
                         f"format {FORMAT!r} (written by `sim run`).")
    version = data.get("version")
    if not isinstance(version, int) or not 1 <= version <= VERSION:
        raise ValueError(f"Failure dump version {version!r} is not supported; this harness "
                         f"reads versions 1 to {VERSION}.")
    while version < VERSION:
        data = UPCASTERS[version](data)
        version = data["version"]
    return data


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


UPCASTERS: Final[dict[int, Any]] = {1: _upcast_v1_v2}


def load(path: Path) -> Dump:
    """Read a dump; a file that is not one raises ValueError saying what it is."""
    try:
        data = json.loads(Path(path).read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not JSON ({error}); expected a failure dump written by "
                         "`sim run`.") from error
    try:
        dump = Dump.from_dict(data)
    except KeyError as error:
        raise ValueError(f"{path} is a failure dump with no {error.args[0]!r} field; it is "
                         "damaged or was not written by `sim run`.") from error
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
    case = Case(run_seed, table_id, table_seed, state.config.to_dict(), bugs.enabled(),
                invariants, record, list(actions), dict(bots), faults=faults)
    return Dump(case, finding, describe)
