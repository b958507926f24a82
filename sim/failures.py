"""Failure dumps: everything needed to reproduce a broken invariant with one command.

A dump is one JSON file under the run's ``failures/`` folder: the seeds, the table settings,
the hand's log from its snapshot and every action from that snapshot up to the failing
one (which may have ended the hand and started the next), the invariant's name and
message, ``describe()`` of the state, the traceback, the planted bugs that were on, and
the engine's version. ``sim replay FILE``
reproduces it; copying the file into ``tests/regressions/`` makes it a test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.engine import ENGINE_VERSION
from sim.engine import actions as ac
from sim.engine.log import HandRecord

FORMAT = "sim.failure"
VERSION = 1


@dataclass(slots=True)
class Failure:
    run_seed: int
    table_id: int
    table_seed: int
    hand_no: int
    invariant: str  # an invariant's name, or "engine_exception" / "liveness" / ...
    message: str
    describe: str
    traceback: str
    config: dict[str, int]
    planted: tuple[str, ...]
    invariants: tuple[str, ...] | None  # the selection the run used (None: all)
    record: HandRecord | None  # the hand running when the failing dispatch began
    actions: list[ac.Action]  # every action from the record's snapshot to the failing one
    bots: dict[int, str]  # seat -> bot kind at the time
    path: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "engine_version": ENGINE_VERSION,
            "seeds": {"run": self.run_seed, "table": self.table_seed, "table_id": self.table_id,
                      "hand_no": self.hand_no},
            "config": self.config,
            "planted_bugs": list(self.planted),
            "invariants": list(self.invariants) if self.invariants is not None else None,
            "invariant": self.invariant,
            "message": self.message,
            "describe": self.describe,
            "traceback": self.traceback,
            "bots": {str(seat): kind for seat, kind in self.bots.items()},
            "hand": self.record.to_dict() if self.record is not None else None,
            "actions": [ac.action_to_dict(a) for a in self.actions],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Failure:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"Not a failure dump: found {found!r}, expected an object with "
                             f"format {FORMAT!r} (written by `sim run`).")
        if data.get("version") != VERSION:
            raise ValueError(f"Failure dump version {data.get('version')!r} is not supported; "
                             f"this harness reads version {VERSION}.")
        seeds = data["seeds"]
        record = HandRecord.from_dict(data["hand"]) if data.get("hand") else None
        return cls(seeds["run"], seeds["table_id"], seeds["table"], seeds["hand_no"],
                   data["invariant"], data["message"], data["describe"], data["traceback"],
                   data["config"], tuple(data["planted_bugs"]),
                   tuple(data["invariants"]) if data.get("invariants") is not None else None,
                   record, [ac.action_from_dict(a) for a in data["actions"]],
                   {int(seat): kind for seat, kind in data.get("bots", {}).items()})

    def file_name(self) -> str:
        return f"table{self.table_id:06d}-hand{self.hand_no:05d}-{self.invariant}.json"

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.file_name()
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=1))
        tmp.replace(path)  # never leave a half-written dump behind
        self.path = path
        return path


def load(path: Path) -> Failure:
    """Read a dump; a file that is not one raises ValueError saying what it is."""
    try:
        data = json.loads(Path(path).read_text())
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON ({error}); expected a failure dump written by "
                         "`sim run`.") from error
    try:
        failure = Failure.from_dict(data)
    except KeyError as error:
        raise ValueError(f"{path} is a failure dump with no {error.args[0]!r} field; it is "
                         "damaged or was not written by `sim run`.") from error
    failure.path = Path(path)
    return failure
